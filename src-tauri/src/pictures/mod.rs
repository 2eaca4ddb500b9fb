//! Pictures for WeChat: an avatar (any common image file → the 640×640 JPEG WeChat wants,
//! ≤5 MB) and a picture sent in a chat (`prepare_picture`), read from the file the user chose
//! (`file.rs`). The avatar pipeline applies the EXIF orientation, flattens transparency onto white, centre-crops to a square
//! (optionally nudged), resizes with a high-quality filter and encodes JPEG, lowering the quality
//! only if needed. Bad input — empty, not an image, truncated, HEIC, decompression bombs — is a
//! clear error; memory stays bounded by the pixel cap. CPU-heavy: call it off the main thread.
//! JPEGs take the DCT-scaled path (`jpeg.rs`); the resize is fast_image_resize's Lanczos3.

use std::io::Cursor;

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, ImageDecoder, ImageReader, Limits, Rgb, RgbImage};

mod file;
mod jpeg;
pub use file::{prepare_avatar_file, prepare_picture_file, read_file, AvatarChoice};
pub use jpeg::scale_numerator;

use crate::i18n::Lang;
use crate::sentences::{fill, text, S};

/// WeChat recommends 640×640.
pub const OUTPUT_SIZE: u32 = 640;
/// WeChat's upload limit.
pub const WECHAT_MAX_BYTES: usize = 5 * 1024 * 1024;
/// Files larger than this are refused before decoding.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
/// A 100-megapixel cap (a 24 MP photo is fine; a forged 100 000² header is not).
pub const MAX_PIXELS: u64 = 100_000_000;
const START_QUALITY: u8 = 90;

#[derive(Debug, Clone, PartialEq)]
pub enum PictureError {
    Empty,
    FileTooLarge { bytes: usize },
    Heic,
    NotAnImage,
    TooManyPixels { width: u32, height: u32 },
    Corrupt(String),
}

impl PictureError {
    /// A sentence with what to do, in the user's language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            PictureError::Empty => text(lang, S::PictureEmpty).to_string(),
            PictureError::FileTooLarge { bytes } => {
                fill(lang, S::PictureFileTooLarge, &[("mb", (bytes / (1024 * 1024)).to_string())])
            }
            PictureError::Heic => text(lang, S::PictureHeic).to_string(),
            PictureError::NotAnImage => text(lang, S::PictureNotAnImage).to_string(),
            PictureError::TooManyPixels { width, height } => {
                fill(lang, S::PictureTooManyPixels, &[("width", width.to_string()), ("height", height.to_string())])
            }
            PictureError::Corrupt(d) => fill(lang, S::PictureCorrupt, &[("detail", d.clone())]),
        }
    }
}

/// Where the square crop sits: -1.0 (left/top) … 0.0 (centre) … 1.0 (right/bottom).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CropNudge {
    pub x: f32,
    pub y: f32,
}

#[derive(Debug, Clone)]
pub struct Prepared {
    pub jpeg: Vec<u8>,
    pub quality: u8,
    /// The picture's size after orientation, before cropping.
    pub source_width: u32,
    pub source_height: u32,
}

/// ISO-BMFF brands of HEIF/HEIC/AVIF files, which the image crate cannot decode here.
fn is_heif(bytes: &[u8]) -> bool {
    bytes.len() >= 12
        && &bytes[4..8] == b"ftyp"
        && matches!(
            &bytes[8..12],
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1" | b"avif" | b"avis"
        )
}

/// A JPEG cut short: no end-of-image marker after the last scan. (Decoders fill the missing part
/// with grey instead of failing; `FF D9` cannot occur inside entropy-coded data.) Searching
/// from the end keeps this to a few bytes on a whole file: an `FF D9` earlier on (an EXIF
/// thumbnail's) is followed by the main image's `FF DA`.
fn is_truncated_jpeg(bytes: &[u8]) -> bool {
    match bytes.windows(2).rposition(|w| w == [0xFF, 0xD9]) {
        Some(eoi) => bytes[eoi..].windows(2).any(|w| w == [0xFF, 0xDA]),
        None => true,
    }
}

/// The oriented picture (possibly already reduced by a DCT-scaled decode) and its full size.
fn decode(bytes: &[u8]) -> Result<(DynamicImage, u32, u32), PictureError> {
    if bytes.is_empty() {
        return Err(PictureError::Empty);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(PictureError::FileTooLarge { bytes: bytes.len() });
    }
    if is_heif(bytes) {
        return Err(PictureError::Heic);
    }
    let reader =
        ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| PictureError::Corrupt(e.to_string()))?;
    if reader.format().is_none() {
        return Err(PictureError::NotAnImage);
    }
    if reader.format() == Some(image::ImageFormat::Jpeg) && is_truncated_jpeg(bytes) {
        return Err(PictureError::Corrupt("the JPEG ends early".into()));
    }
    if reader.format() == Some(image::ImageFormat::Jpeg) {
        if let Some(done) = jpeg::decode_scaled(bytes) {
            return done;
        }
    }
    decode_full(reader)
}

/// Any format `image` reads, decoded at full size.
fn decode_full(mut reader: ImageReader<Cursor<&[u8]>>) -> Result<(DynamicImage, u32, u32), PictureError> {
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| PictureError::Corrupt(e.to_string()))?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PictureError::TooManyPixels { width, height });
    }
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| match e {
        image::ImageError::Limits(_) => PictureError::TooManyPixels { width, height },
        other => PictureError::Corrupt(other.to_string()),
    })?;
    img.apply_orientation(orientation);
    let (w, h) = (img.width(), img.height());
    Ok((img, w, h))
}

/// Transparent pixels become white (WeChat avatars have no alpha).
fn flatten_on_white(img: DynamicImage) -> RgbImage {
    if !img.color().has_alpha() {
        return img.into_rgb8();
    }
    let rgba = img.into_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let p = rgba.get_pixel(x, y).0;
        let a = u16::from(p[3]);
        let mix = |c: u8| ((u16::from(c) * a + 255 * (255 - a) + 127) / 255) as u8;
        Rgb([mix(p[0]), mix(p[1]), mix(p[2])])
    })
}

/// The square crop (x, y, side) of a `w`×`h` picture, moved by `nudge`.
pub fn crop_square(w: u32, h: u32, nudge: CropNudge) -> (u32, u32, u32) {
    let side = w.min(h);
    let place = |room: u32, n: f32| ((room as f32) * (n.clamp(-1.0, 1.0) + 1.0) / 2.0).round() as u32;
    (place(w - side, nudge.x), place(h - side, nudge.y), side)
}

/// Baseline JPEG, full-resolution colour (4:4:4, as ImageMagick does from q90), optimised
/// Huffman tables, by libjpeg-turbo (SIMD) — a few milliseconds for 640×640, about 110 KB.
fn encode(img: &RgbImage, quality: u8) -> Vec<u8> {
    let encode = || -> std::io::Result<Vec<u8>> {
        let mut c = mozjpeg::Compress::new(mozjpeg::ColorSpace::JCS_RGB);
        c.set_fastest_defaults();
        c.set_size(img.width() as usize, img.height() as usize);
        c.set_quality(f32::from(quality));
        c.set_optimize_coding(true);
        c.set_chroma_sampling_pixel_sizes((1, 1), (1, 1));
        let mut started = c.start_compress(Vec::with_capacity(128 * 1024))?;
        started.write_scanlines(img.as_raw())?;
        started.finish()
    };
    // Encoding a well-formed in-memory RGB buffer cannot fail; libjpeg would unwind if it did.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(encode))
        .ok()
        .and_then(Result::ok)
        .expect("in-memory JPEG encoding")
}

/// Crops the (nudged) square and resizes it to `OUTPUT_SIZE` with Lanczos3.
fn crop_and_resize(img: &RgbImage, nudge: CropNudge) -> RgbImage {
    let (x, y, side) = crop_square(img.width(), img.height(), nudge);
    let mut out = RgbImage::new(OUTPUT_SIZE, OUTPUT_SIZE);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3)).crop(
        f64::from(x),
        f64::from(y),
        f64::from(side),
        f64::from(side),
    );
    Resizer::new().resize(img, &mut out, &options).expect("same pixel type, non-empty crop");
    out
}

/// A picture sent in a chat: at most 10 MB, JPG or PNG (document/path/90253).
pub const PICTURE_MAX_BYTES: usize = 10 * 1024 * 1024;
/// Longest side of a picture that had to be converted.
pub const PICTURE_MAX_SIDE: u32 = 2048;

/// A picture ready to upload: the file as it was when WeCom takes it (a JPG or PNG of at most
/// 10 MB), else converted to JPEG (at most 2048 px a side, quality lowered until it fits).
pub fn prepare_picture(bytes: &[u8]) -> Result<(Vec<u8>, &'static str), PictureError> {
    // The same checks as avatars: empty, too large, HEIC, not an image, damaged, too many pixels.
    decode(bytes)?;
    let jpeg = bytes.starts_with(&[0xFF, 0xD8, 0xFF]);
    if (jpeg || bytes.starts_with(b"\x89PNG\r\n\x1a\n")) && bytes.len() <= PICTURE_MAX_BYTES {
        return Ok((bytes.to_vec(), if jpeg { "image/jpeg" } else { "image/png" }));
    }
    let reader =
        ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| PictureError::Corrupt(e.to_string()))?;
    let (img, w, h) = decode_full(reader)?;
    let rgb = flatten_on_white(img);
    let scale = (f64::from(PICTURE_MAX_SIDE) / f64::from(w.max(h))).min(1.0);
    let (nw, nh) = (((f64::from(w) * scale).round() as u32).max(1), ((f64::from(h) * scale).round() as u32).max(1));
    let rgb = if (nw, nh) == (w, h) {
        rgb
    } else {
        let mut out = RgbImage::new(nw, nh);
        Resizer::new()
            .resize(&rgb, &mut out, &ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3)))
            .expect("same pixel type");
        out
    };
    let mut quality = START_QUALITY;
    let mut out = encode(&rgb, quality);
    while out.len() > PICTURE_MAX_BYTES && quality > 40 {
        quality -= 10;
        out = encode(&rgb, quality);
    }
    Ok((out, "image/jpeg"))
}

/// Runs the whole pipeline on a file's bytes.
pub fn prepare(bytes: &[u8], nudge: CropNudge) -> Result<Prepared, PictureError> {
    let (img, source_width, source_height) = decode(bytes)?;
    // Flatten before resizing: filtering unpremultiplied RGBA darkens edges of transparency.
    let rgb = crop_and_resize(&flatten_on_white(img), nudge);
    let mut quality = START_QUALITY;
    let mut jpeg = encode(&rgb, quality);
    while jpeg.len() > WECHAT_MAX_BYTES && quality > 40 {
        quality -= 10;
        jpeg = encode(&rgb, quality);
    }
    Ok(Prepared { jpeg, quality, source_width, source_height })
}

#[cfg(test)]
mod tests;
