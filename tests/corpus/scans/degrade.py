"""What happens to a page between the printer and the mailbox: a crooked scan, sensor noise,
JPEG loss, the unit's round seal stamped over the table (red, or grey on a photocopy), and a
phone photo taken at an angle on a desk.

Every function takes and returns an RGB page (numpy uint8, height × width × 3) and draws its
randomness from the ``rng`` it is given, so a case is the same picture every time.
"""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
RED_INK = (205, 35, 45)
GREY_INK = (95, 95, 95)


def rotate(page: np.ndarray, degrees: float) -> np.ndarray:
    """The sheet laid a little crooked on the glass (positive: counter-clockwise)."""
    height, width = page.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    return cv2.warpAffine(page, matrix, (width, height), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=(255, 255, 255))


def noise(page: np.ndarray, rng: np.random.Generator, sigma: float = 9.0, specks: float = 0.0004) -> np.ndarray:
    """Sensor noise and dust: grey grain over the page, a few dark specks."""
    grained = page.astype(np.float32) + rng.normal(0, sigma, page.shape[:2])[..., None]
    speck = rng.random(page.shape[:2]) < specks
    grained[speck] = rng.uniform(40, 120)
    return np.clip(grained, 0, 255).astype(np.uint8)


def jpeg(page: np.ndarray, quality: int) -> np.ndarray:
    """Saved as a JPEG by the scanner or the phone."""
    ok, encoded = cv2.imencode(".jpg", page[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return cv2.imdecode(encoded, cv2.IMREAD_COLOR)[..., ::-1].copy()


def grey(page: np.ndarray) -> np.ndarray:
    """A black-and-white photocopy scanned in grey: colours are gone, stamps are grey."""
    return np.repeat(cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)[..., None], 3, axis=2)


def stamp(page: np.ndarray, centre: tuple[float, float], rng: np.random.Generator, *,
          ink: tuple[int, int, int] = RED_INK, words: str = "TRƯỜNG THPT LÊ QUÝ ĐÔN * LONG AN *",
          diameter_mm: float = 36.0, dpi: int = 200) -> np.ndarray:
    """The unit's round seal pressed over the page at ``centre`` (fractions of width and height).

    Two rings, the unit's name around them and a star in the middle, in uneven ink that lets
    the print show through, as a real seal over a signed table does.
    """
    height, width = page.shape[:2]
    radius = int(diameter_mm / 25.4 * dpi / 2)
    size = 2 * radius + 4
    mask = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(mask)
    ring = max(3, radius // 22)
    draw.ellipse((2, 2, size - 3, size - 3), outline=255, width=ring)
    inner = int(radius * 0.66)
    middle = size // 2
    draw.ellipse((middle - inner, middle - inner, middle + inner, middle + inner), outline=255,
                 width=max(2, ring // 2))
    _arc_text(mask, words, radius=int(radius * 0.83), size=max(10, int(radius * 0.2)))
    _star(draw, middle, middle, int(radius * 0.28))
    font = ImageFont.truetype(str(_FONT), max(8, int(radius * 0.13)))
    draw.text((middle, middle + int(radius * 0.42)), "BAN GIÁM HIỆU", font=font, fill=255, anchor="mm")
    coverage = np.asarray(mask, dtype=np.float32) / 255.0
    coverage *= np.clip(rng.normal(0.85, 0.12, coverage.shape), 0.35, 1.0)  # uneven ink
    top = int(centre[1] * height) - size // 2
    left = int(centre[0] * width) - size // 2
    region = page[top:top + size, left:left + size].astype(np.float32)
    cover = coverage[: region.shape[0], : region.shape[1], None]
    inked = region * (1 - cover) + region * (np.array(ink, np.float32) / 255.0) * cover  # multiply
    stamped = page.copy()
    stamped[top:top + size, left:left + size] = np.clip(inked, 0, 255).astype(np.uint8)
    return stamped


def photo(page: np.ndarray, rng: np.random.Generator, *, tilt: float = 0.06) -> np.ndarray:
    """The page photographed with a phone on a desk: perspective, uneven light, a soft focus."""
    height, width = page.shape[:2]
    margin = int(0.08 * width)
    canvas_w, canvas_h = width + 2 * margin, height + 2 * margin
    jitter = lambda: rng.uniform(0, tilt) * width  # noqa: E731
    corners = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    target = np.float32([
        [margin + jitter(), margin + jitter() / 2],
        [margin + width - jitter(), margin + jitter()],
        [margin + width - jitter() / 2, margin + height - jitter() / 3],
        [margin + jitter() / 2, margin + height - jitter() / 4],
    ])
    desk = np.empty((canvas_h, canvas_w, 3), np.uint8)
    desk[:] = (118, 92, 70)
    warped = cv2.warpPerspective(page, cv2.getPerspectiveTransform(corners, target), (canvas_w, canvas_h),
                                 dst=desk, borderMode=cv2.BORDER_TRANSPARENT, flags=cv2.INTER_LINEAR)
    ys, xs = np.mgrid[0:canvas_h, 0:canvas_w].astype(np.float32)
    light = 0.80 + 0.2 * (xs / canvas_w) * (1 - 0.4 * ys / canvas_h)  # a window on the right
    lit = np.clip(warped.astype(np.float32) * light[..., None], 0, 255).astype(np.uint8)
    return cv2.GaussianBlur(lit, (3, 3), 0.8)


def _arc_text(mask: Image.Image, words: str, *, radius: int, size: int) -> None:
    """Letters set around the seal, upright along the circle, starting at the bottom left."""
    font = ImageFont.truetype(str(_FONT), size)
    middle = mask.size[0] / 2
    step = 360 / len(words)
    for index, letter in enumerate(words):
        angle = math.radians(-200 + index * step)
        glyph = Image.new("L", (size * 2, size * 2), 0)
        ImageDraw.Draw(glyph).text((size, size), letter, font=font, fill=255, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
        x = middle + radius * math.cos(angle) - size
        y = middle + radius * math.sin(angle) - size
        mask.paste(255, (int(x), int(y)), glyph)


def _star(draw: ImageDraw.ImageDraw, x: int, y: int, radius: int) -> None:
    points = []
    for index in range(10):
        reach = radius if index % 2 == 0 else radius * 0.42
        angle = math.radians(-90 + index * 36)
        points.append((x + reach * math.cos(angle), y + reach * math.sin(angle)))
    draw.polygon(points, fill=255)
