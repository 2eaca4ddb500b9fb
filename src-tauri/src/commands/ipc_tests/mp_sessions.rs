//! Official Account sessions: the overview, assigning, transferring, closing, messages.

use super::*;

/// A batch assignment: the first N waiting to the most free places, each outcome reported (a
/// refusal in words for its customer, the others assigned), checked at the sandbox.
#[test]
fn the_first_waiting_go_to_the_agents_with_the_most_free_places() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    let free_before: std::collections::HashMap<String, i64> = {
        let world = sb.world();
        world
            .agents
            .iter()
            .filter(|a| a.status > 0)
            .map(|a| (a.account.clone(), i64::from(a.auto_accept) - world.sessions_of(&a.account) as i64))
            .collect()
    };
    let first: Vec<String> = sb.world().waiting.iter().take(3).map(|c| c.openid.clone()).collect();
    sb.set_fault("/customservice/kfsession/create", Fault::errcode(65415).times(1));
    let out = invoke(&w, "assign_waiting", json!({"count": 3})).unwrap();
    let out = out.as_array().unwrap();
    assert_eq!(
        out.iter().map(|i| i["openid"].as_str().unwrap().to_string()).collect::<Vec<_>>(),
        first,
        "the first three, in order"
    );
    assert_eq!(out[0]["error"]["errcode"], 65415, "the refusal, for that customer: {:?}", out[0]);
    assert!(out[0]["error"]["message"].as_str().unwrap().starts_with("指定的客服不在线"), "in words: {:?}", out[0]);
    // Each customer in turn to an agent with the most places left, counting the ones already
    // planned (the refused first one included: it was planned before WeChat refused it).
    let mut left = free_before.clone();
    for (i, item) in out.iter().enumerate() {
        let agent = item["kf_account"].as_str().unwrap();
        let most = left.values().max().copied().unwrap();
        assert_eq!(
            left[agent], most,
            "customer {i} went to {agent} with {} places left, the most was {most}",
            left[agent]
        );
        *left.get_mut(agent).unwrap() -= 1;
        if i > 0 {
            assert_eq!(item["error"], Value::Null);
            assert_eq!(
                sb.world().sessions.get(item["openid"].as_str().unwrap()).map(|s| s.kf_account.clone()),
                Some(agent.to_string()),
                "assigned at the sandbox"
            );
        }
    }
    assert!(sb.world().waiting.iter().any(|c| c.openid == first[0]), "the refused one still waits");
    let err = invoke(&w, "assign_waiting", json!({"count": 0})).unwrap_err();
    assert_eq!(err["code"], "invalid_input");
}

/// The overview names what each customer on the page last wrote (from the records).
#[test]
fn the_overview_carries_each_customers_last_words() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    let ov = invoke(&w, "session_overview", json!({})).unwrap();
    let first = ov["waiting"][0]["openid"].as_str().unwrap().to_string();
    let wrote =
        sb.world().records().iter().rev().find(|r| *r.openid == *first && r.opercode == 2001).unwrap().text.to_string();
    assert_eq!(ov["last_words"][&first]["text"], wrote.as_str());
    let served = ov["agents"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["sessions"].as_array().unwrap().clone())
        .map(|s| s["openid"].as_str().unwrap().to_string())
        .collect::<Vec<_>>();
    assert!(
        !served.is_empty() && served.iter().all(|o| ov["last_words"][o]["text"].is_string()),
        "every served customer's last words"
    );
}

#[test]
fn sessions_overview_assign_transfer_close_and_messages() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    invoke(&w, "set_locale", json!({"lang": "en"})).unwrap();
    let ov = invoke(&w, "session_overview", json!({})).unwrap();
    {
        let world = sb.world();
        assert_eq!(ov["waiting_count"].as_u64().unwrap() as usize, world.waiting.len());
        let online: Vec<&str> =
            ov["agents"].as_array().unwrap().iter().map(|a| a["kf_account"].as_str().unwrap()).collect();
        let mut expected: Vec<&str> =
            world.agents.iter().filter(|a| a.status > 0).map(|a| a.account.as_str()).collect();
        expected.sort();
        assert_eq!(online, expected, "every online agent, by account");
        for a in ov["agents"].as_array().unwrap() {
            let n = world.sessions.values().filter(|s| s.kf_account == a["kf_account"].as_str().unwrap()).count();
            assert_eq!(a["sessions"].as_array().unwrap().len(), n);
            assert!(!a["nickname"].as_str().unwrap().is_empty());
        }
    }
    let avg = ov["avg_session_secs"].as_f64().expect("the demo history has ended sessions");
    assert!(avg > 60.0 && avg < 3600.0 && ov["avg_basis_sessions"].as_u64().unwrap() > 0, "{avg}");

    // Assign the first waiting customer to an online agent with room.
    let customer = ov["waiting"][0]["openid"].as_str().unwrap().to_string();
    let agents = ov["agents"].as_array().unwrap();
    let (a, b) =
        (agents[0]["kf_account"].as_str().unwrap().to_string(), agents[1]["kf_account"].as_str().unwrap().to_string());
    invoke(&w, "assign_session", json!({"kfAccount": a, "openid": customer})).unwrap();
    assert_eq!(sb.world().sessions.get(&customer).unwrap().kf_account, a);
    assert!(!sb.world().waiting.iter().any(|x| x.openid == customer), "left the queue");
    let found = invoke(&w, "find_session", json!({"openid": customer})).unwrap();
    assert_eq!(found["kf_account"], a.as_str());
    let err = invoke(&w, "assign_session", json!({"kfAccount": b, "openid": customer})).unwrap_err();
    assert_eq!(err["errcode"], 65414);
    assert!(err["message"].as_str().unwrap().contains("Another agent"), "{err}");

    // Transfer = close + create.
    let out = invoke(&w, "transfer_session", json!({"from": a, "to": b, "openid": customer})).unwrap();
    assert_eq!(out["create_error"], Value::Null);
    assert_eq!(sb.world().sessions.get(&customer).unwrap().kf_account, b);
    let offline = sb.world().agents.iter().find(|x| x.status == 0 && x.kf_wx.is_some()).unwrap().account.clone();
    let out = invoke(&w, "transfer_session", json!({"from": b, "to": offline, "openid": customer})).unwrap();
    assert_eq!(out["create_error"]["errcode"], 65415, "closed, but the offline agent cannot take it");
    assert!(!sb.world().sessions.contains_key(&customer));
    assert_eq!(invoke(&w, "find_session", json!({"openid": customer})).unwrap(), Value::Null);
    invoke(&w, "assign_session", json!({"kfAccount": a, "openid": customer})).unwrap();
    invoke(&w, "close_session", json!({"kfAccount": a, "openid": customer})).unwrap();
    let err = invoke(&w, "close_session", json!({"kfAccount": a, "openid": customer})).unwrap_err();
    assert_eq!(err["errcode"], 65413);

    // Messages: the 48-hour rule in words; empty text refused before calling.
    let stale = {
        let world = sb.world();
        let now = world.now();
        world.customers.iter().find(|(_, c)| c.last_user_msg < now - 49 * 3600).unwrap().0.clone()
    };
    let err = invoke(&w, "send_text", json!({"kfAccount": a, "openid": stale, "text": "您好"})).unwrap_err();
    assert_eq!(err["errcode"], 45015);
    assert!(err["message"].as_str().unwrap().contains("48 hours"), "{err}");
    let err = invoke(&w, "send_text", json!({"kfAccount": a, "openid": customer, "text": "  "})).unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    let err = invoke(&w, "send_text", json!({"kfAccount": a, "openid": " ", "text": "您好"})).unwrap_err();
    assert_eq!(
        (err["code"].as_str(), err["message"].as_str()),
        (Some("invalid_input"), Some("Enter the customer's openid."))
    );
    invoke(&w, "send_text", json!({"kfAccount": a, "openid": customer, "text": "您好，请问还需要帮助吗？"})).unwrap();
    assert!(sb
        .world()
        .records()
        .iter()
        .any(|r| *r.openid == *customer && r.opercode == 2002 && r.text.contains("还需要帮助")));

    // "Typing…": only inside the 48 hours, right after an exchange, once per 15 s (refusals in words).
    let err = invoke(&w, "set_typing", json!({"openid": stale, "typing": true})).unwrap_err();
    assert_eq!(err["errcode"], 45015, "{err}");
    sb.world().customer_writes(&customer, "在吗").unwrap();
    invoke(&w, "set_typing", json!({"openid": customer, "typing": true})).unwrap();
    let err = invoke(&w, "set_typing", json!({"openid": customer, "typing": true})).unwrap_err();
    assert_eq!(err["errcode"], 45081);
    assert!(err["message"].as_str().unwrap().contains("already showing"), "{err}");
    invoke(&w, "set_typing", json!({"openid": customer, "typing": false})).unwrap();
}

/// Closing with a goodbye is one flow in Rust: the goodbye goes first; when it cannot be sent
/// the session stays open; when it was sent but closing fails, a retry does not send it again.
#[test]
fn closing_with_a_goodbye_sends_it_first_and_never_twice() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    let (agent, customer) = {
        let mut world = sb.world();
        let customer = world.rush(1, "在吗").remove(0);
        (world.agents.iter().find(|a| a.status != 0).unwrap().account.clone(), customer)
    };
    invoke(&w, "assign_session", json!({"kfAccount": agent, "openid": customer})).unwrap();
    let goodbyes = |sb: &MpSandboxHandle| {
        sb.world()
            .records()
            .iter()
            .filter(|r| *r.openid == *customer && r.opercode == 2002 && r.text.contains("再见"))
            .count()
    };

    // The goodbye is refused (outside the 48 hours): nothing happens, in words, with WeChat's errcode.
    sb.set_fault("/cgi-bin/message/custom/send", Fault::errcode(45015).times(1));
    let err =
        invoke(&w, "close_session", json!({"kfAccount": agent, "openid": customer, "goodbye": "感谢咨询，再见！"}))
            .unwrap_err();
    assert_eq!(err["errcode"].as_i64(), Some(45015), "{err}");
    let message = err["message"].as_str().unwrap();
    assert!(message.starts_with("结束语未能发送，会话仍然开着：") && message.contains("48"), "{message}");
    assert!(sb.world().sessions.contains_key(&customer), "the session is still open");

    // Sent, but closing fails: the outcome says so; the retry without a goodbye closes.
    sb.set_fault("/customservice/kfsession/close", Fault::errcode(-1).times(1));
    let out =
        invoke(&w, "close_session", json!({"kfAccount": agent, "openid": customer, "goodbye": "感谢咨询，再见！"}))
            .unwrap();
    assert_eq!(
        (out["goodbye_sent"].as_bool(), out["close_error"]["code"].as_str()),
        (Some(true), Some("busy")),
        "{out}"
    );
    assert!(sb.world().sessions.contains_key(&customer), "still open after the failed close");
    assert_eq!(goodbyes(&sb), 1);
    let out = invoke(&w, "close_session", json!({"kfAccount": agent, "openid": customer, "goodbye": null})).unwrap();
    assert_eq!(out, json!({"goodbye_sent": false, "close_error": null}));
    assert!(!sb.world().sessions.contains_key(&customer), "closed");
    assert_eq!(goodbyes(&sb), 1, "the goodbye reached the customer once");

    // A goodbye WeChat would refuse is refused before anything is sent or closed.
    invoke(&w, "assign_session", json!({"kfAccount": agent, "openid": customer})).unwrap();
    let err = invoke(&w, "close_session", json!({"kfAccount": agent, "openid": customer, "goodbye": "长".repeat(700)}))
        .unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    assert!(sb.world().sessions.contains_key(&customer));
    // A blank goodbye is no goodbye.
    let out = invoke(&w, "close_session", json!({"kfAccount": agent, "openid": customer, "goodbye": "  "})).unwrap();
    assert_eq!(out["goodbye_sent"], false);
    assert!(!sb.world().sessions.contains_key(&customer));
}
