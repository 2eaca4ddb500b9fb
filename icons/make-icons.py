"""Regenerates the KefuDesk icon set (PNG sizes, .ico, .icns; all RGBA) from code.

Run once when the design changes: `python3 icons/make-icons.py` (needs Pillow — Debian python3-pil — and a CJK font).
"""
import glob, os
from PIL import Image, ImageDraw, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
S = 1024

def font(size):
    for pat in ["/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", "/usr/share/fonts/**/*CJK*Bold*.ttc"]:
        for f in glob.glob(pat, recursive=True):
            return ImageFont.truetype(f, size)
    return ImageFont.load_default()

def master():
    img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((64, 64, S - 64, S - 64), radius=200, fill=(7, 193, 96, 255))  # WeChat green
    # speech bubble
    d.rounded_rectangle((190, 230, S - 190, S - 300), radius=140, fill=(255, 255, 255, 255))
    d.polygon([(330, S - 320), (300, S - 190), (470, S - 310)], fill=(255, 255, 255, 255))
    f = font(330)
    d.text((S / 2, 475), "客", font=f, fill=(7, 150, 76, 255), anchor="mm")
    return img

m = master()
# The PNGs are also the Linux packages' hicolor icons, one per size (tauri.conf.json bundle.icon).
for size, name in [(32, "32x32.png"), (64, "64x64.png"), (128, "128x128.png"), (256, "128x128@2x.png"),
                   (256, "256x256.png"), (512, "icon.png"), (512, "512x512.png")]:
    m.resize((size, size), Image.LANCZOS).save(os.path.join(HERE, name))
m.save(os.path.join(HERE, "icon.ico"), sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
m.save(os.path.join(HERE, "icon.icns"))
print("icons written to", HERE)
