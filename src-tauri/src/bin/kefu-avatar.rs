//! `kefu-avatar`: the app's avatar pipeline on one file, from the command line — what the
//! benchmark times as a whole process, and handy to check a picture before dropping it.
//! `kefu-avatar IN OUT [--nudge X,Y]` writes the 640×640 JPEG WeChat would receive.

use kefudesk_lib::i18n::Lang;
use kefudesk_lib::pictures::{prepare, CropNudge};

const USAGE: &str = "usage: kefu-avatar IN OUT [--nudge X,Y]   (X, Y from -1 to 1; default 0,0 = centre)";

fn parse(args: &[String]) -> Result<(String, String, CropNudge), String> {
    let mut paths = Vec::new();
    let mut nudge = CropNudge::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--nudge" {
            let v = it.next().ok_or("--nudge needs X,Y")?;
            let (x, y) = v.split_once(',').ok_or("--nudge needs X,Y")?;
            nudge = CropNudge {
                x: x.trim().parse().map_err(|e| format!("--nudge: {e}"))?,
                y: y.trim().parse().map_err(|e| format!("--nudge: {e}"))?,
            };
        } else if a.starts_with('-') {
            return Err(format!("unknown option {a:?}"));
        } else {
            paths.push(a.clone());
        }
    }
    match <[String; 2]>::try_from(paths) {
        Ok([input, output]) => Ok((input, output, nudge)),
        Err(_) => Err("give one input and one output file".into()),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (input, output, nudge) = parse(&args).unwrap_or_else(|e| {
        eprintln!("{e}\n{USAGE}");
        std::process::exit(2)
    });
    let bytes = std::fs::read(&input).unwrap_or_else(|e| {
        eprintln!("{input}: {e}");
        std::process::exit(1)
    });
    match prepare(&bytes, nudge) {
        Ok(p) => {
            if let Err(e) = std::fs::write(&output, &p.jpeg) {
                eprintln!("{output}: {e}");
                std::process::exit(1);
            }
        }
        Err(e) => {
            eprintln!("{input}: {}", e.message(Lang::from_os()));
            std::process::exit(1);
        }
    }
}
