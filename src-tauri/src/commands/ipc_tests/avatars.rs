//! Pictures staff pick or drop, turned into an agent's avatar; files that must not be read.

use super::*;

#[test]
fn a_picture_file_becomes_the_agents_avatar() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    let dir = config_path().parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    // A 1200×800 PNG with transparency, as a user would drop.
    let png = dir.join("photo.png");
    image::RgbaImage::from_fn(1200, 800, |x, _| image::Rgba([(x % 256) as u8, 90, 160, if x < 600 { 255 } else { 0 }]))
        .save(&png)
        .unwrap();
    let preview = invoke(&w, "prepare_avatar", json!({"path": png})).unwrap();
    assert_eq!((preview["source_width"].as_u64(), preview["source_height"].as_u64()), (Some(1200), Some(800)));
    assert!(preview["data_url"].as_str().unwrap().starts_with("data:image/jpeg;base64,/9j/"));

    let account = sb.world().agents.iter().find(|a| a.avatar_version == 0).map(|a| a.account.clone()).unwrap();
    invoke(&w, "upload_avatar", json!({"kfAccount": account, "path": png, "nudge": {"x": -1.0, "y": 0.0}})).unwrap();
    let world = sb.world();
    let agent = world.agent(&account).unwrap();
    let stored = world.avatars.get(&agent.kf_id).expect("uploaded");
    let img = image::load_from_memory(stored).unwrap();
    assert_eq!((img.width(), img.height()), (640, 640));
    drop(world);

    // Bad files: a clear message in the user's language, nothing uploaded.
    let heic = dir.join("IMG_0001.HEIC");
    std::fs::write(&heic, b"\0\0\0\x18ftypheic\0\0\0\0mif1heic").unwrap();
    let err = invoke(&w, "upload_avatar", json!({"kfAccount": account, "path": heic})).unwrap_err();
    assert_eq!(err["code"], "image");
    assert!(err["message"].as_str().unwrap().contains("HEIC"), "{err}");
    let err = invoke(&w, "prepare_avatar", json!({"path": dir.join("missing.jpg")})).unwrap_err();
    assert_eq!(err["code"], "file");
    assert_eq!(sb.requests("/customservice/kfaccount/uploadheadimg"), 1);
}

/// A dropped pipe would be read for ever and a 20 GB file whole: both are refused from their
/// metadata, before reading, with words.
#[test]
fn pipes_and_huge_files_are_refused_before_they_are_read() {
    let (_app, w, _sb) = app(true);
    invoke(&w, "set_locale", json!({"lang": "en"})).unwrap();
    let dir = config_path().parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("photo.jpg");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let e = invoke(&w, "prepare_avatar", json!({"path": fifo})).unwrap_err();
    assert_eq!(e["code"], "file");
    assert!(e["message"].as_str().unwrap().contains("not a file"), "{e}");
    let huge = dir.join("huge.png");
    std::fs::File::create(&huge).unwrap().set_len(20 << 30).unwrap();
    let e = invoke(&w, "prepare_avatar", json!({"path": huge})).unwrap_err();
    assert_eq!(e["code"], "image");
    assert!(e["message"].as_str().unwrap().contains("too large"), "{e}");
    let _ = std::fs::remove_file(&huge);
}
