"""A photographed or scanned page made ready for Tesseract (OpenCV).

In order: the page cut out of a photo and its perspective undone; the red channel taken as
grey, so a red seal (and red ink) fades into the paper while black print stays; the page brought
to one working resolution; uneven light flattened; the page turned straight by the angle that
lines its text and rules up best.
"""

from __future__ import annotations

import cv2
import numpy as np

# Resolution the page is read at: Tesseract reads 12–13 pt print best with lines ~35 px high.
WORKING_DPI = 200
A4_INCHES = (8.27, 11.69)
_MAX_SKEW_DEGREES = 5.0
_LETTER_PX = 22  # median letter height of 12–13 pt print at the working resolution
_FEWEST_LETTERS = 40
_PAPER = 185  # after flattening, grey this light or lighter is paper


def grey_of(picture: np.ndarray) -> np.ndarray:
    """Grey from a picture: the red channel of a colour one (RGB order), where red ink is paper."""
    if picture.ndim == 2:
        return picture
    return np.ascontiguousarray(picture[..., 0])


def estimated_dpi(grey: np.ndarray) -> float:
    """Pixels per inch of a picture: from its size when it is a whole A4 page, else from the
    height of its letters (a photo of part of a page, a cropped table)."""
    height, width = grey.shape[:2]
    if abs(max(height, width) / max(1, min(height, width)) - A4_INCHES[1] / A4_INCHES[0]) < 0.12:
        return max(height, width) / A4_INCHES[1]
    letters = _letter_height(grey)
    return WORKING_DPI * letters / _LETTER_PX if letters else max(height, width) / A4_INCHES[1]


def _letter_height(grey: np.ndarray) -> float | None:
    """The median height of the letters (not accents or dots) in pixels, or None with too few."""
    _, mask = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask)
    widths, heights = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    heights = heights[(heights >= 3) & (heights < 0.1 * grey.shape[0]) & (widths < 3 * heights)]
    if heights.size < _FEWEST_LETTERS:
        return None
    tallest = np.percentile(heights, 90)
    return float(np.median(heights[heights >= 0.4 * tallest]))


def at_working_resolution(grey: np.ndarray, dpi: float) -> np.ndarray:
    """The page scaled to ``WORKING_DPI`` (a 150 dpi scan is enlarged, a 300 dpi one reduced)."""
    factor = min(4.0, max(0.25, WORKING_DPI / dpi))
    if 0.93 <= factor <= 1.07:
        return grey
    method = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
    return cv2.resize(grey, None, fx=factor, fy=factor, interpolation=method)


def flattened(grey: np.ndarray) -> np.ndarray:
    """Uneven light taken out: each pixel divided by the paper's brightness around it."""
    small = cv2.resize(grey, None, fx=0.125, fy=0.125, interpolation=cv2.INTER_AREA)
    paper = cv2.dilate(small, np.ones((9, 9), np.uint8))  # ink removed, paper kept
    paper = cv2.resize(cv2.GaussianBlur(paper, (0, 0), 3), (grey.shape[1], grey.shape[0]),
                       interpolation=cv2.INTER_LINEAR)
    return cv2.divide(grey, np.maximum(paper, 1), scale=255)


def whitened(grey: np.ndarray) -> np.ndarray:
    """Light marks — a red seal seen through the red channel, show-through, grain — made paper."""
    return cv2.convertScaleAbs(grey, alpha=255 / _PAPER, beta=0)


def ink(grey: np.ndarray, *, faint: bool = False) -> np.ndarray:
    """Where the ink is (255) on a flattened page; ``faint`` also takes thin, blurred strokes
    (table rules in a photo), at the cost of a seal's light ring."""
    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31,
                                 12 if faint else 25)


def straightened(grey: np.ndarray) -> tuple[np.ndarray, float]:
    """The page turned so its lines are level, and the angle it was turned by (degrees)."""
    angle = skew_angle(ink(grey))
    if abs(angle) < 0.05:
        return grey, 0.0
    height, width = grey.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    turned = cv2.warpAffine(grey, matrix, (width, height), flags=cv2.INTER_CUBIC,
                            borderMode=cv2.BORDER_CONSTANT, borderValue=255)
    return turned, angle


def skew_angle(mask: np.ndarray) -> float:
    """The turn that makes the rows of ink sharpest: text lines and table rules lined up."""
    scale = min(1.0, 900 / mask.shape[1])
    small = cv2.resize(mask, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    best = 0.0
    for step, reach in ((0.5, _MAX_SKEW_DEGREES), (0.1, 0.5)):
        centre = best
        candidates = np.arange(centre - reach, centre + reach + step / 2, step)
        best = max(candidates, key=lambda angle: _sharpness(small, float(angle)))
    return round(float(best), 2)


def _sharpness(mask: np.ndarray, angle: float) -> float:
    height, width = mask.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    turned = cv2.warpAffine(mask, matrix, (width, height), flags=cv2.INTER_NEAREST)
    rows = turned.sum(axis=1, dtype=np.float64)
    return float(np.square(np.diff(rows)).sum())


def unwarped(picture: np.ndarray) -> tuple[np.ndarray, bool]:
    """A photo's page cut out and squared to A4 proportions; a flat scan is returned as it is.

    The page is the largest bright four-cornered shape that does not fill the whole picture.
    """
    grey = cv2.cvtColor(picture, cv2.COLOR_RGB2GRAY) if picture.ndim == 3 else picture
    scale = min(1.0, 1000 / max(grey.shape))
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    _, paper = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    paper = cv2.morphologyEx(paper, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(paper, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return picture, False
    outline = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(outline) / (small.shape[0] * small.shape[1])
    corners = cv2.approxPolyDP(outline, 0.02 * cv2.arcLength(outline, True), True)
    if len(corners) != 4 or not 0.3 < area < 0.92:
        return picture, False
    quad = _ordered(corners.reshape(4, 2).astype(np.float32) / scale)
    top = np.linalg.norm(quad[1] - quad[0])
    side = np.linalg.norm(quad[3] - quad[0])
    width = int(max(top, np.linalg.norm(quad[2] - quad[3])))
    height = int(width * A4_INCHES[1] / A4_INCHES[0]) if side > top else int(max(side, top))
    target = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    matrix = cv2.getPerspectiveTransform(quad, target)
    return cv2.warpPerspective(picture, matrix, (width, height), flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE), True


def _ordered(points: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    sums, differences = points.sum(axis=1), np.diff(points, axis=1).ravel()
    return np.float32([points[np.argmin(sums)], points[np.argmin(differences)],
                       points[np.argmax(sums)], points[np.argmax(differences)]])
