//! Avatar pipeline benchmark (`make bench-avatar`, or `cargo bench -p kefudesk --bench avatar`).
//! Times the whole `kefu-avatar` process on a 12 MP and a 24 MP photo-like JPEG against
//! ImageMagick (`convert … -resize 640x640^ -gravity center -extent 640x640`) and Pillow with
//! `draft()`, same files, same run; prints median wall time, peak memory (max RSS of the
//! process, from `wait4`; Linux counts the few MiB this small process had when it forked, so
//! the figures are upper bounds), the ratios to the targets and each output's PSNR against a full-decode Lanczos3
//! reference. Needs ImageMagick and Pillow (`make bench-avatar` installs them).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use image::imageops::FilterType;
use image::RgbImage;

const RUNS: usize = 7;
const PILLOW: &str = r#"
import sys
from PIL import Image, ImageOps
im = Image.open(sys.argv[1])
im.draft("RGB", (640, 640))
im = ImageOps.exif_transpose(im).convert("RGB")
ImageOps.fit(im, (640, 640), Image.LANCZOS).save(sys.argv[2], "JPEG", quality=90)
"#;

/// Runs a process to completion; its wall time and peak resident memory in KiB.
// The child is waited for by `wait4` (which also gives its resource usage), not `Child::wait`.
#[allow(clippy::zombie_processes)]
fn measure(cmd: &mut Command) -> (Duration, u64) {
    let start = Instant::now();
    let child = cmd.spawn().unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    assert!(pid > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "{cmd:?} failed (status {status})");
    (elapsed, usage.ru_maxrss as u64)
}

/// Median time and largest peak memory over `RUNS` runs, after one warm-up run.
fn bench(mut make: impl FnMut() -> Command) -> (f64, f64) {
    measure(&mut make());
    let mut times = Vec::new();
    let mut peak = 0;
    for _ in 0..RUNS {
        let (t, kib) = measure(&mut make());
        times.push(t.as_secs_f64());
        peak = peak.max(kib);
    }
    times.sort_by(f64::total_cmp);
    (times[RUNS / 2], peak as f64 / 1024.0)
}

fn photo(dir: &Path, name: &str, size: &str) -> PathBuf {
    let path = dir.join(name);
    if !path.exists() {
        let ok = Command::new("convert")
            .args([
                "-size",
                size,
                "plasma:fractal",
                "-blur",
                "0x2",
                "-attenuate",
                "0.25",
                "+noise",
                "Gaussian",
                "-quality",
                "90",
            ])
            .arg(&path)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(ok, "ImageMagick's `convert` is needed to make {name} (apt install imagemagick)");
    }
    path
}

fn load(path: &Path) -> RgbImage {
    image::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).into_rgb8()
}

fn psnr(a: &RgbImage, b: &RgbImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions(), "outputs must be 640×640");
    let sq: f64 = a.as_raw().iter().zip(b.as_raw()).map(|(&p, &q)| (f64::from(p) - f64::from(q)).powi(2)).sum();
    10.0 * (255.0f64.powi(2) / (sq / a.as_raw().len() as f64)).log10()
}

fn python() -> String {
    std::env::var("BENCH_PYTHON").unwrap_or_else(|_| {
        if Path::new("/usr/bin/python3").exists() {
            "/usr/bin/python3".into()
        } else {
            "python3".into()
        }
    })
}

fn main() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("avatar-bench");
    std::fs::create_dir_all(&dir).unwrap();
    let ours = env!("CARGO_BIN_EXE_kefu-avatar");
    let py = python();
    let script = dir.join("pillow_draft.py");
    std::fs::write(&script, PILLOW).unwrap();
    println!("avatar pipeline, whole process, median of {RUNS} runs (after a warm-up); peak = max RSS");
    println!("{:<12} {:<20} {:>9} {:>10} {:>12}", "input", "tool", "time", "peak", "PSNR vs ref");
    let inputs = [photo(&dir, "photo12.jpg", "4000x3000"), photo(&dir, "photo24.jpg", "6000x4000")];
    let out =
        |input: &Path, tool: &str| dir.join(format!("{}-{tool}.jpg", input.file_stem().unwrap().to_string_lossy()));
    // Every timing first: a child's peak RSS counts the parent's pages until it execs, so this
    // process must stay small (no decoded images) while it spawns.
    let mut timings = Vec::new();
    for input in &inputs {
        let ours = bench(|| {
            let mut c = Command::new(ours);
            c.arg(input).arg(out(input, "ours"));
            c
        });
        let pillow = bench(|| {
            let mut c = Command::new(&py);
            c.arg(&script).arg(input).arg(out(input, "pillow"));
            c
        });
        let magick = bench(|| {
            let mut c = Command::new("convert");
            c.arg(input)
                .args(["-resize", "640x640^", "-gravity", "center", "-extent", "640x640", "-quality", "90"])
                .arg(out(input, "magick"));
            c
        });
        timings.push([ours, pillow, magick]);
    }
    for (input, results) in inputs.iter().zip(timings) {
        let name = input.file_name().unwrap().to_string_lossy();
        let reference = image::open(input).unwrap().resize_to_fill(640, 640, FilterType::Lanczos3).into_rgb8();
        for ((tool, file), (t, mib)) in
            [("kefu-avatar", "ours"), ("Pillow + draft()", "pillow"), ("ImageMagick convert", "magick")]
                .iter()
                .zip(results)
        {
            let db = psnr(&load(&out(input, file)), &reference);
            println!("{:<12} {:<20} {:>7.3} s {:>6.1} MiB {:>9.1} dB", name, tool, t, mib, db);
        }
        let [(ours_t, ours_mib), (pil, _), (magick, _)] = results;
        let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
        println!(
            "{:<12} {:.2}× Pillow-draft (target ≤ 0.70: {}), {:.2}× ImageMagick (target ≤ 0.30: {}), peak {:.1} MiB (target ≤ 40: {})",
            name,
            ours_t / pil,
            verdict(ours_t / pil <= 0.7),
            ours_t / magick,
            verdict(ours_t / magick <= 0.3),
            ours_mib,
            verdict(ours_mib <= 40.0)
        );
    }
    println!("reference: full decode + image's Lanczos3 resize_to_fill, unencoded; every output is JPEG q90.");
}
