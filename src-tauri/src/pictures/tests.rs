//! The pipeline on real files made here: every EXIF orientation, transparency, grey, each
//! accepted format, and the bad files (empty, random, truncated, HEIC, a forged huge header).

use super::*;
use image::{ImageFormat, Rgba, RgbaImage};

const R: [u8; 3] = [230, 20, 20];
const G: [u8; 3] = [20, 200, 20];
const B: [u8; 3] = [20, 20, 230];
const W: [u8; 3] = [250, 250, 250];

/// 200×200, quadrants TL red, TR green, BL blue, BR white.
fn quadrants() -> RgbImage {
    RgbImage::from_fn(200, 200, |x, y| {
        Rgb(match (x < 100, y < 100) {
            (true, true) => R,
            (false, true) => G,
            (true, false) => B,
            (false, false) => W,
        })
    })
}

/// Test inputs come from `image`'s own encoder, independent of the pipeline's.
fn jpeg_of(img: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95).encode_image(img).unwrap();
    out
}

/// Inserts an EXIF APP1 segment with `orientation` right after the JPEG's SOI marker.
fn with_exif_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut tiff = b"II\x2a\x00\x08\x00\x00\x00".to_vec();
    tiff.extend_from_slice(&1u16.to_le_bytes()); // one IFD entry
    tiff.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0]); // tag 0x0112 SHORT ×1
    tiff.extend_from_slice(&orientation.to_le_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]); // value padding, next IFD = 0
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&payload);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn output(p: &Prepared) -> RgbImage {
    assert!(p.jpeg.starts_with(&[0xFF, 0xD8, 0xFF]), "a JPEG");
    assert!(p.jpeg.len() <= WECHAT_MAX_BYTES);
    let img = image::load_from_memory_with_format(&p.jpeg, ImageFormat::Jpeg).expect("a valid JPEG").into_rgb8();
    assert_eq!(img.dimensions(), (OUTPUT_SIZE, OUTPUT_SIZE));
    img
}

fn near(px: &Rgb<u8>, want: [u8; 3]) -> bool {
    px.0.iter().zip(want).all(|(a, b)| a.abs_diff(b) < 40)
}

/// (TL, TR, BL, BR) seen after the EXIF transform, per the EXIF spec.
fn expected(orientation: u16) -> [[u8; 3]; 4] {
    match orientation {
        1 => [R, G, B, W],
        2 => [G, R, W, B],
        3 => [W, B, G, R],
        4 => [B, W, R, G],
        5 => [R, B, G, W],
        6 => [B, R, W, G],
        7 => [W, G, B, R],
        8 => [G, W, R, B],
        _ => unreachable!(),
    }
}

#[test]
fn all_eight_exif_orientations_are_applied() {
    let base = jpeg_of(&quadrants());
    for o in 1..=8u16 {
        let out = output(&prepare(&with_exif_orientation(&base, o), CropNudge::default()).unwrap());
        let [tl, tr, bl, br] = expected(o);
        for ((x, y), want) in [((160, 160), tl), ((480, 160), tr), ((160, 480), bl), ((480, 480), br)] {
            let got = out.get_pixel(x, y);
            assert!(near(got, want), "orientation {o}: pixel ({x},{y}) is {:?}, want {want:?}", got.0);
        }
    }
}

#[test]
fn wide_pictures_are_centre_cropped_and_the_crop_can_be_nudged() {
    // 300×100: a red third, a green third, a blue third.
    let img = RgbImage::from_fn(300, 100, |x, _| Rgb([R, G, B][(x / 100) as usize]));
    let centre = output(&prepare(&jpeg_of(&img), CropNudge::default()).unwrap());
    assert!(near(centre.get_pixel(320, 320), G));
    let left = output(&prepare(&jpeg_of(&img), CropNudge { x: -1.0, y: 0.0 }).unwrap());
    assert!(near(left.get_pixel(320, 320), R));
    let right = prepare(&jpeg_of(&img), CropNudge { x: 5.0, y: 0.0 }).unwrap();
    assert!(near(output(&right).get_pixel(320, 320), B), "nudges are clamped");
    assert_eq!((right.source_width, right.source_height), (300, 100));
    assert_eq!(crop_square(300, 100, CropNudge::default()), (100, 0, 100));
}

#[test]
fn transparency_becomes_white() {
    let mut png = RgbaImage::from_pixel(120, 120, Rgba([0, 0, 0, 0]));
    for x in 0..60 {
        for y in 0..120 {
            png.put_pixel(x, y, Rgba([20, 20, 230, 255]));
        }
    }
    let mut bytes = Vec::new();
    png.write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png).unwrap();
    let out = output(&prepare(&bytes, CropNudge::default()).unwrap());
    assert!(near(out.get_pixel(600, 320), [255, 255, 255]), "{:?}", out.get_pixel(600, 320));
    assert!(near(out.get_pixel(40, 320), B));
}

#[test]
fn every_accepted_format_and_grey_pictures_work() {
    let img = DynamicImage::ImageRgb8(quadrants());
    for format in [ImageFormat::Png, ImageFormat::Gif, ImageFormat::Bmp, ImageFormat::Tiff, ImageFormat::WebP] {
        let mut bytes = Vec::new();
        let src = if format == ImageFormat::WebP { DynamicImage::ImageRgba8(img.to_rgba8()) } else { img.clone() };
        src.write_to(&mut Cursor::new(&mut bytes), format).unwrap();
        let out = output(&prepare(&bytes, CropNudge::default()).unwrap_or_else(|e| panic!("{format:?}: {e:?}")));
        assert!(near(out.get_pixel(160, 160), R), "{format:?}");
    }
    let grey = DynamicImage::ImageLuma8(image::GrayImage::from_fn(80, 80, |x, _| image::Luma([(x * 3) as u8])));
    let mut bytes = Vec::new();
    grey.write_to(&mut Cursor::new(&mut bytes), ImageFormat::Jpeg).unwrap();
    output(&prepare(&bytes, CropNudge::default()).unwrap());
}

#[test]
fn bad_files_are_refused_with_a_reason() {
    assert_eq!(prepare(b"", CropNudge::default()).unwrap_err(), PictureError::Empty);
    assert_eq!(prepare(b"just some text, not a picture", CropNudge::default()).unwrap_err(), PictureError::NotAnImage);
    let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
    assert_eq!(prepare(heic, CropNudge::default()).unwrap_err(), PictureError::Heic);
    let jpeg = jpeg_of(&quadrants());
    let truncated = &jpeg[..jpeg.len() / 3];
    assert!(
        matches!(prepare(truncated, CropNudge::default()), Err(PictureError::Corrupt(_))),
        "{:?}",
        prepare(truncated, CropNudge::default()).err()
    );
    // A BMP header claiming 60 000 × 60 000 pixels (3.6 gigapixels), with almost no data: refused before allocating.
    let mut bomb = Vec::new();
    DynamicImage::ImageRgb8(RgbImage::new(4, 4)).write_to(&mut Cursor::new(&mut bomb), ImageFormat::Bmp).unwrap();
    bomb[18..22].copy_from_slice(&60_000i32.to_le_bytes());
    bomb[22..26].copy_from_slice(&60_000i32.to_le_bytes());
    assert_eq!(
        prepare(&bomb, CropNudge::default()).unwrap_err(),
        PictureError::TooManyPixels { width: 60_000, height: 60_000 }
    );
    assert!(matches!(
        prepare(&vec![0u8; MAX_FILE_BYTES + 1], CropNudge::default()),
        Err(PictureError::FileTooLarge { .. })
    ));
    for e in [PictureError::Heic, PictureError::Empty, PictureError::NotAnImage] {
        assert!(!e.message(Lang::ZhCn).is_empty() && !e.message(Lang::En).is_empty());
    }
    assert!(PictureError::Heic.message(Lang::En).contains("JPG or PNG"));
}

#[test]
fn big_noisy_photos_stay_under_wechats_limit() {
    // Noise is the worst case for JPEG size.
    let mut s = 1u32;
    let noisy = RgbImage::from_fn(2000, 1500, |_, _| {
        s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        Rgb([(s >> 24) as u8, (s >> 16) as u8, (s >> 8) as u8])
    });
    let p = prepare(&jpeg_of(&noisy), CropNudge::default()).unwrap();
    output(&p);
    assert!(p.jpeg.len() < WECHAT_MAX_BYTES);
}

/// A smooth, photo-like picture (gradients and soft waves), where a quality loss would show.
fn photo_like(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
        let wave = ((fx * 37.0).sin() * (fy * 23.0).cos() * 60.0) as i32;
        let c = |base: f32, k: i32| (base + k as f32).clamp(0.0, 255.0) as u8;
        Rgb([c(200.0 * fx + 20.0, wave), c(180.0 * fy + 30.0, -wave / 2), c(120.0 + 80.0 * (fx - fy), wave / 3)])
    })
}

fn psnr(a: &RgbImage, b: &RgbImage) -> f64 {
    let sq: f64 = a.as_raw().iter().zip(b.as_raw()).map(|(&p, &q)| (f64::from(p) - f64::from(q)).powi(2)).sum();
    let mse = sq / a.as_raw().len() as f64;
    10.0 * (255.0f64 * 255.0 / mse).log10()
}

#[test]
fn scaled_jpeg_decoding_looks_like_a_full_decode() {
    let bytes = jpeg_of(&photo_like(2600, 1800)); // decoded at 3/8 → 975×675
    assert_eq!(scale_numerator(2600, 1800), 3);
    let (scaled, w, h) = decode(&bytes).unwrap();
    assert_eq!((w, h), (2600, 1800), "the full size is reported");
    assert_eq!((scaled.width(), scaled.height()), (975, 675), "decoded reduced");
    let reader = ImageReader::new(Cursor::new(&bytes[..])).with_guessed_format().unwrap();
    let (full, _, _) = decode_full(reader).unwrap();
    let fast = crop_and_resize(&scaled.into_rgb8(), CropNudge::default());
    let reference = crop_and_resize(&full.into_rgb8(), CropNudge::default());
    let db = psnr(&fast, &reference);
    assert!(db > 38.0, "PSNR against a full decode + Lanczos3 is only {db:.1} dB");
}

#[test]
fn cmyk_jpegs_keep_their_colours() {
    // Made by ImageMagick (`-colorspace CMYK`, Adobe-inverted): quadrants red, green, blue, white.
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cmyk-quadrants.jpg")).unwrap();
    let p = prepare(&bytes, CropNudge::default()).unwrap();
    assert_eq!((p.source_width, p.source_height), (800, 600));
    let out = output(&p);
    // The 600×600 centre crop of 800×600 spans x 100..700: left half red/blue, right green/white.
    for ((x, y), want) in [((160, 160), R), ((480, 160), G), ((160, 480), B), ((480, 480), W)] {
        let got = out.get_pixel(x, y);
        assert!(near(got, want), "({x},{y}) is {:?}, want {want:?}", got.0);
    }
}

#[test]
fn broken_jpegs_are_refused_or_decoded_but_never_crash() {
    let jpeg = jpeg_of(&photo_like(900, 700));
    // A header claiming 65 000 × 65 000 (4.2 gigapixels): refused from the header.
    let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    let mut bomb = jpeg.clone();
    bomb[sof + 5..sof + 7].copy_from_slice(&65_000u16.to_be_bytes());
    bomb[sof + 7..sof + 9].copy_from_slice(&65_000u16.to_be_bytes());
    assert_eq!(
        prepare(&bomb, CropNudge::default()).unwrap_err(),
        PictureError::TooManyPixels { width: 65_000, height: 65_000 }
    );
    // A zero-width frame: libjpeg's fatal error becomes a message, not a crash.
    let mut zero = jpeg.clone();
    zero[sof + 7..sof + 9].copy_from_slice(&0u16.to_be_bytes());
    assert!(
        matches!(prepare(&zero, CropNudge::default()), Err(PictureError::Corrupt(_))),
        "{:?}",
        prepare(&zero, CropNudge::default()).err()
    );
    // Garbage in the middle of the scan: libjpeg resynchronises and decodes what it can.
    let mut garbled = jpeg.clone();
    let mid = garbled.len() / 2;
    for b in &mut garbled[mid..mid + 64] {
        *b = 0x5A;
    }
    if let Ok(p) = prepare(&garbled, CropNudge::default()) {
        output(&p);
    }
}

#[test]
fn chat_pictures_go_as_they_are_when_wecom_takes_them_and_are_converted_otherwise() {
    let jpeg = jpeg_of(&quadrants());
    assert_eq!(prepare_picture(&jpeg).unwrap(), (jpeg.clone(), "image/jpeg"), "a JPG under 10 MB is sent untouched");
    // A WebP becomes a JPEG of the same size and content.
    let mut webp = Vec::new();
    DynamicImage::ImageRgb8(quadrants()).write_to(&mut Cursor::new(&mut webp), ImageFormat::WebP).unwrap();
    let (out, mime) = prepare_picture(&webp).unwrap();
    assert_eq!(mime, "image/jpeg");
    let img = image::load_from_memory(&out).unwrap().to_rgb8();
    assert_eq!(img.dimensions(), (200, 200));
    assert!(near(img.get_pixel(20, 20), R) && near(img.get_pixel(180, 180), W));
    // A large BMP is scaled to 2048 px on its longest side.
    let big = RgbImage::from_pixel(3000, 1500, Rgb(G));
    let mut bmp = Vec::new();
    DynamicImage::ImageRgb8(big).write_to(&mut Cursor::new(&mut bmp), ImageFormat::Bmp).unwrap();
    let (out, _) = prepare_picture(&bmp).unwrap();
    assert_eq!(image::load_from_memory(&out).unwrap().to_rgb8().dimensions(), (2048, 1024));
    assert_eq!(prepare_picture(b"not a picture at all").unwrap_err(), PictureError::NotAnImage);
}
