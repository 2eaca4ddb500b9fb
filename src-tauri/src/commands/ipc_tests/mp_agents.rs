//! Official Account agents: the list, the add flow (invite, avatar), edit and delete.

use super::*;

#[test]
fn list_agents_returns_the_sandbox_agents_merged_with_their_online_state() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    let rows = invoke(&w, "list_agents", json!({})).unwrap();
    let rows = rows.as_array().unwrap();
    let world = sb.world();
    assert_eq!(rows.len(), world.agents.len());
    for (row, a) in rows.iter().zip(&world.agents) {
        assert_eq!(row["kf_account"], a.account);
        assert_eq!(row["nickname"], a.nick);
        assert_eq!(row["kf_id"], a.kf_id.to_string());
        assert_eq!(row["online_status"], a.status);
        assert_eq!(row["accepted_case"], world.sessions_of(&a.account));
    }
    assert!(rows.iter().any(|r| r["invite"]["status"] == "waiting"));
}

#[test]
fn adding_an_agent_with_an_invite_is_one_flow_that_reports_each_step() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    invoke(&w, "set_locale", json!({"lang": "en"})).unwrap();
    let oa = sb.oa_wechat_id();
    let out =
        invoke(&w, "add_agent", json!({"prefix": "newbie", "nickname": "新同事", "inviteWx": "newbie_wx"})).unwrap();
    assert_eq!(out, json!({"kf_account": format!("newbie@{oa}"), "avatar_error": null, "invite_error": null}));
    {
        let world = sb.world();
        let a = world.agent(&format!("newbie@{oa}")).expect("created");
        assert_eq!(a.nick, "新同事");
        assert_eq!(a.invite.as_ref().unwrap().wx, "newbie_wx");
    }
    // The invite fails after the agent exists: say so, and do not pretend nothing happened.
    let out =
        invoke(&w, "add_agent", json!({"prefix": "second", "nickname": "二号", "inviteWx": "busy_worker01"})).unwrap();
    assert_eq!(out["kf_account"], format!("second@{oa}"));
    assert_eq!(
        (out["invite_error"]["errcode"].as_i64(), out["invite_error"]["code"].as_str()),
        (Some(65410), Some("wechat"))
    );
    assert!(sb.world().agent(&format!("second@{oa}")).is_some());
    // Retrying only the invite works.
    invoke(&w, "invite_agent", json!({"kfAccount": format!("second@{oa}"), "inviteWx": "second_wx"})).unwrap();
    let err =
        invoke(&w, "invite_agent", json!({"kfAccount": format!("second@{oa}"), "inviteWx": "third_wx"})).unwrap_err();
    assert_eq!(err["errcode"], 65411);
    assert!(err["message"].as_str().unwrap().contains("already has an invitation waiting"), "{err}");

    let err = invoke(&w, "add_agent", json!({"prefix": "newbie", "nickname": "重复"})).unwrap_err();
    assert_eq!(err["errcode"], 65406);
    let err = invoke(&w, "add_agent", json!({"prefix": "bad-prefix", "nickname": "x"})).unwrap_err();
    assert_eq!((err["code"].as_str(), err["errcode"].as_i64()), (Some("invalid_input"), None));
    let err = invoke(&w, "add_agent", json!({"prefix": "ok", "nickname": "x", "inviteWx": "13800138000"})).unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    assert!(sb.world().agent(&format!("ok@{oa}")).is_none(), "nothing created when a later step's input is bad");
}

#[test]
fn a_lost_answer_to_add_is_checked_not_resent() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    sb.set_fault("/customservice/kfaccount/add", Fault::kind(crate::sandbox::FaultKind::DropResponse));
    let out = invoke(&w, "add_agent", json!({"prefix": "lost", "nickname": "丢包"})).unwrap();
    assert_eq!(out["invite_error"], Value::Null);
    assert_eq!(sb.requests("/customservice/kfaccount/add"), 1, "never sent twice");
    assert_eq!(sb.world().agents.iter().filter(|a| a.nick == "丢包").count(), 1);
    // The connection dropped before WeChat did anything: an error, and still one request.
    sb.set_fault("/customservice/kfaccount/add", Fault::kind(crate::sandbox::FaultKind::DropConnection));
    let err = invoke(&w, "add_agent", json!({"prefix": "gone", "nickname": "没了"})).unwrap_err();
    assert_eq!(err["code"], "network");
    assert_eq!(sb.requests("/customservice/kfaccount/add"), 2);
}

#[test]
fn edit_and_delete_agents() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    let account = sb.world().agents[0].account.clone();
    invoke(&w, "update_agent", json!({"kfAccount": account, "nickname": "新昵称"})).unwrap();
    assert_eq!(sb.world().agent(&account).unwrap().nick, "新昵称");
    let err = invoke(&w, "update_agent", json!({"kfAccount": account, "nickname": ""})).unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    invoke(&w, "delete_agent", json!({"kfAccount": account})).unwrap();
    assert!(sb.world().agent(&account).is_none());
    let err = invoke(&w, "delete_agent", json!({"kfAccount": account})).unwrap_err();
    assert_eq!(err["errcode"], 65401);
}

#[test]
fn adding_an_agent_with_an_avatar_uploads_it_in_the_same_flow() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    invoke(&w, "set_locale", json!({"lang": "en"})).unwrap();
    let oa = sb.oa_wechat_id();
    let dir = config_path().parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let jpg = dir.join("face.jpg");
    image::RgbImage::from_fn(900, 600, |x, y| image::Rgb([(x / 4) as u8, (y / 3) as u8, 128])).save(&jpg).unwrap();

    let out = invoke(&w, "add_agent", json!({"prefix": "pic", "nickname": "有头像", "inviteWx": "pic_wx", "avatar": {"path": jpg, "nudge": {"x": 1.0, "y": 0.0}}})).unwrap();
    assert_eq!(out, json!({"kf_account": format!("pic@{oa}"), "avatar_error": null, "invite_error": null}));
    {
        let world = sb.world();
        let agent = world.agent(&format!("pic@{oa}")).unwrap();
        let stored = image::load_from_memory(world.avatars.get(&agent.kf_id).expect("avatar uploaded")).unwrap();
        assert_eq!((stored.width(), stored.height()), (640, 640));
        assert_eq!(agent.invite.as_ref().unwrap().wx, "pic_wx", "and invited");
    }

    // An unusable picture is refused before anything is created.
    let heic = dir.join("IMG_0002.HEIC");
    std::fs::write(&heic, b"\0\0\0\x18ftypheic\0\0\0\0mif1heic").unwrap();
    let err =
        invoke(&w, "add_agent", json!({"prefix": "nopic", "nickname": "无", "avatar": {"path": heic}})).unwrap_err();
    assert_eq!(err["code"], "image");
    assert!(sb.world().agent(&format!("nopic@{oa}")).is_none());
    assert_eq!(sb.requests("/customservice/kfaccount/add"), 1);

    // The upload fails after creation: said as such, the invite still goes out, nothing twice.
    sb.set_fault("/customservice/kfaccount/uploadheadimg", Fault::errcode(40005));
    let out = invoke(
        &w,
        "add_agent",
        json!({"prefix": "late", "nickname": "晚到", "inviteWx": "late_wx", "avatar": {"path": jpg}}),
    )
    .unwrap();
    assert_eq!(out["kf_account"], format!("late@{oa}"));
    assert_eq!(out["avatar_error"]["errcode"], 40005);
    assert!(!out["avatar_error"]["message"].as_str().unwrap().is_empty());
    assert_eq!(out["invite_error"], Value::Null);
    assert!(sb.world().agent(&format!("late@{oa}")).unwrap().invite.is_some());
    assert_eq!(sb.requests("/customservice/kfaccount/add"), 2);
}
