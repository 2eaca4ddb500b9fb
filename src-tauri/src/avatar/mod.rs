//! The avatar pipeline: any common image file → the 640×640 JPEG WeChat wants (≤5 MB).
//! Applies the EXIF orientation, flattens transparency onto white, centre-crops to a square
//! (optionally nudged), resizes with a high-quality filter and encodes JPEG, lowering the quality
//! only if needed. Bad input — empty, not an image, truncated, HEIC, decompression bombs — is a
//! clear error; memory stays bounded by the pixel cap. CPU-heavy: call it off the main thread.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits, Rgb, RgbImage};

use crate::i18n::Lang;

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
pub enum AvatarError {
    Empty,
    FileTooLarge { bytes: usize },
    Heic,
    NotAnImage,
    TooManyPixels { width: u32, height: u32 },
    Corrupt(String),
}

impl AvatarError {
    /// A sentence with what to do, in the user's language.
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::ZhCn;
        match self {
            AvatarError::Empty => if zh { "文件是空的。请选择一张图片。".into() } else { "The file is empty. Choose an image.".into() },
            AvatarError::FileTooLarge { bytes } => {
                let mb = bytes / (1024 * 1024);
                if zh { format!("文件太大（{mb} MB）。请选择小于 64 MB 的图片。") } else { format!("The file is too large ({mb} MB). Choose an image under 64 MB.") }
            }
            AvatarError::Heic => if zh { "不支持 HEIC/HEIF 格式的照片。请先转换为 JPG 或 PNG（例如在手机上选择「最兼容」格式）。".into() } else { "HEIC/HEIF photos are not supported. Convert it to JPG or PNG first (on an iPhone: Settings → Camera → Formats → Most Compatible).".into() },
            AvatarError::NotAnImage => if zh { "这不是可识别的图片。请选择 JPG、PNG、WebP、GIF、BMP 或 TIFF 文件。".into() } else { "This is not an image KefuDesk can read. Choose a JPG, PNG, WebP, GIF, BMP or TIFF file.".into() },
            AvatarError::TooManyPixels { width, height } => if zh { format!("图片尺寸过大（{width}×{height}）。请选择小于 1 亿像素的图片。") } else { format!("The image is too large ({width}×{height}). Choose one under 100 megapixels.") },
            AvatarError::Corrupt(d) => if zh { format!("图片文件已损坏或不完整（{d}）。请换一个文件。") } else { format!("The image file is damaged or incomplete ({d}). Choose another file.") },
        }
    }
}

/// Where the square crop sits: -1.0 (left/top) … 0.0 (centre) … 1.0 (right/bottom).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Deserialize)]
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
        && matches!(&bytes[8..12], b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1" | b"avif" | b"avis")
}

/// A JPEG cut short: no end-of-image marker after the last scan. (The decoder would fill the
/// missing part with grey instead of failing; `FF D9` cannot occur inside entropy-coded data.)
fn is_truncated_jpeg(bytes: &[u8]) -> bool {
    let last_scan = bytes.windows(2).rposition(|w| w == [0xFF, 0xDA]).unwrap_or(0);
    !bytes[last_scan..].windows(2).any(|w| w == [0xFF, 0xD9])
}

fn decode(bytes: &[u8]) -> Result<DynamicImage, AvatarError> {
    if bytes.is_empty() {
        return Err(AvatarError::Empty);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(AvatarError::FileTooLarge { bytes: bytes.len() });
    }
    if is_heif(bytes) {
        return Err(AvatarError::Heic);
    }
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| AvatarError::Corrupt(e.to_string()))?;
    if reader.format().is_none() {
        return Err(AvatarError::NotAnImage);
    }
    if reader.format() == Some(image::ImageFormat::Jpeg) && is_truncated_jpeg(bytes) {
        return Err(AvatarError::Corrupt("the JPEG ends early".into()));
    }
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| AvatarError::Corrupt(e.to_string()))?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(AvatarError::TooManyPixels { width, height });
    }
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| match e {
        image::ImageError::Limits(_) => AvatarError::TooManyPixels { width, height },
        other => AvatarError::Corrupt(other.to_string()),
    })?;
    img.apply_orientation(orientation);
    Ok(img)
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

fn encode(img: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::with_capacity(160 * 1024);
    JpegEncoder::new_with_quality(&mut out, quality).encode_image(img).expect("in-memory JPEG encoding");
    out
}

/// Runs the whole pipeline on a file's bytes.
pub fn prepare(bytes: &[u8], nudge: CropNudge) -> Result<Prepared, AvatarError> {
    // Flatten before resizing: filtering unpremultiplied RGBA darkens edges of transparency.
    let img = DynamicImage::ImageRgb8(flatten_on_white(decode(bytes)?));
    let (source_width, source_height) = (img.width(), img.height());
    let (x, y, side) = crop_square(source_width, source_height, nudge);
    let rgb = img.crop_imm(x, y, side, side).resize_exact(OUTPUT_SIZE, OUTPUT_SIZE, FilterType::Lanczos3).into_rgb8();
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
