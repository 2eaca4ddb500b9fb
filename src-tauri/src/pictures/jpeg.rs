//! DCT-scaled JPEG decoding (libjpeg-turbo's trick, as Pillow's `draft()` does): a 24 MP photo is
//! decoded straight to about 1500×1000 by a reduced inverse DCT, skipping most of the work and
//! memory of a full decode. Only the scale that still leaves the short side ≥ 640 px is used, so
//! the final Lanczos resize sees at least as many pixels as it outputs.

use std::panic::{catch_unwind, AssertUnwindSafe};

use image::metadata::Orientation;
use image::{DynamicImage, RgbImage};
use mozjpeg::{ColorSpace, Decompress, Marker};

use super::{PictureError, MAX_PIXELS, OUTPUT_SIZE};

/// The smallest `n` (of n/8, libjpeg's scale factors) keeping the short side ≥ `OUTPUT_SIZE`.
pub fn scale_numerator(width: u32, height: u32) -> u8 {
    let short = u64::from(width.min(height));
    (1..=8u8).find(|&n| (short * u64::from(n)).div_ceil(8) >= u64::from(OUTPUT_SIZE)).unwrap_or(8)
}

/// The EXIF orientation from an APP1 segment (`Exif\0\0` + TIFF).
fn orientation_of(app1: &[u8]) -> Option<Orientation> {
    app1.strip_prefix(b"Exif\0\0").and_then(Orientation::from_exif_chunk)
}

/// `None` when this decoder does not handle the file (CMYK/YCCK): the caller falls back to the
/// generic decoder. Otherwise the oriented picture and its full (unscaled, oriented) size.
pub fn decode_scaled(bytes: &[u8]) -> Option<Result<(DynamicImage, u32, u32), PictureError>> {
    // libjpeg reports fatal errors by unwinding out of the C code (mozjpeg's error manager).
    let result = catch_unwind(AssertUnwindSafe(|| decode_inner(bytes)));
    match result {
        Ok(r) => r,
        Err(panic) => {
            let msg =
                panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()));
            Some(Err(PictureError::Corrupt(msg.unwrap_or_else(|| "JPEG decoding failed".into()))))
        }
    }
}

fn decode_inner(bytes: &[u8]) -> Option<Result<(DynamicImage, u32, u32), PictureError>> {
    let corrupt = |e: std::io::Error| Some(Err(PictureError::Corrupt(e.to_string())));
    let mut dec = match Decompress::with_markers(&[Marker::APP(1)]).from_mem(bytes) {
        Ok(d) => d,
        Err(e) => return corrupt(e),
    };
    if matches!(dec.color_space(), ColorSpace::JCS_CMYK | ColorSpace::JCS_YCCK) {
        return None;
    }
    let (width, height) = (dec.width() as u32, dec.height() as u32);
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Some(Err(PictureError::TooManyPixels { width, height }));
    }
    let orientation = dec.markers().find_map(|m| orientation_of(m.data)).unwrap_or(Orientation::NoTransforms);
    dec.scale(scale_numerator(width, height));
    let mut started = match dec.rgb() {
        Ok(s) => s,
        Err(e) => return corrupt(e),
    };
    let (w, h) = (started.width() as u32, started.height() as u32);
    let pixels: Vec<u8> = match started.read_scanlines() {
        Ok(p) => p,
        Err(e) => return corrupt(e),
    };
    if let Err(e) = started.finish() {
        return corrupt(e);
    }
    let Some(rgb) = RgbImage::from_raw(w, h, pixels) else {
        return Some(Err(PictureError::Corrupt("short pixel data".into())));
    };
    let mut img = DynamicImage::ImageRgb8(rgb);
    img.apply_orientation(orientation);
    let swaps = matches!(
        orientation,
        Orientation::Rotate90 | Orientation::Rotate270 | Orientation::Rotate90FlipH | Orientation::Rotate270FlipH
    );
    let (full_w, full_h) = if swaps { (height, width) } else { (width, height) };
    Some(Ok((img, full_w, full_h)))
}

#[cfg(test)]
mod tests {
    use super::scale_numerator;

    #[test]
    fn picks_the_smallest_scale_that_keeps_640_on_the_short_side() {
        assert_eq!(scale_numerator(4000, 3000), 2); // 1000×750
        assert_eq!(scale_numerator(6000, 4000), 2); // 1500×1000
        assert_eq!(scale_numerator(8000, 5120), 1); // 1000×640 exactly
        assert_eq!(scale_numerator(2000, 1500), 4); // 1000×750
        assert_eq!(scale_numerator(1000, 700), 8); // no reduction possible
        assert_eq!(scale_numerator(200, 200), 8); // smaller than the output: full size
    }
}
