//! Demo avatars: a person silhouette on a coloured background, drawn in code so the sandbox
//! ships no image files.

use bytes::Bytes;
use image::{codecs::jpeg::JpegEncoder, Rgb, RgbImage};

const SIZE: u32 = 160;

/// HSV (h in degrees, s and v in 0..=1) to RGB.
fn hsv(h: f32, s: f32, v: f32) -> Rgb<u8> {
    let c = v * s;
    let x = c * (1.0 - ((h / 60.0) % 2.0 - 1.0).abs());
    let (r, g, b) = match (h / 60.0) as u32 % 6 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = v - c;
    Rgb([((r + m) * 255.0) as u8, ((g + m) * 255.0) as u8, ((b + m) * 255.0) as u8])
}

/// A JPEG avatar in the colour `hue` (degrees).
pub fn demo_avatar(hue: f32) -> Bytes {
    let s = SIZE as f32;
    let img = RgbImage::from_fn(SIZE, SIZE, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let head = ((fx - s * 0.5).powi(2) + (fy - s * 0.4).powi(2)).sqrt() < s * 0.19;
        let body = ((fx - s * 0.5) / (s * 0.34)).powi(2) + ((fy - s * 0.98) / (s * 0.36)).powi(2) < 1.0;
        if head || body {
            hsv(hue, 0.12, 0.98)
        } else {
            hsv(hue, 0.55, 0.62 + 0.3 * (1.0 - fy / s))
        }
    });
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 85).encode_image(&img).expect("in-memory JPEG encoding");
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn is_a_jpeg_of_the_right_size() {
        let j = super::demo_avatar(200.0);
        assert!(j.starts_with(&[0xFF, 0xD8, 0xFF]));
        let img = image::load_from_memory(&j).unwrap();
        assert_eq!((img.width(), img.height()), (super::SIZE, super::SIZE));
    }
}
