"""The site's font for charts: Source Sans 3, from the same files the pages load.

The pages load Source Sans 3 as WOFF2 subsets (latin and latin-ext, regular and bold).
vl-convert measures and draws text with fonts it finds on disk as TrueType, so each
weight's two subsets are merged into one TrueType file named plainly "Source Sans 3" in a
cache folder and registered once per process. The charts' text is laid out with the
font's own widths, and the page shows it with the same font through its @font-face.
"""

import hashlib
import logging
import tempfile
import threading
from pathlib import Path

from django.conf import settings

FAMILY = "Source Sans 3"
# CSS needs the quotes: a family name with a word starting with a digit is not an identifier.
CHART_FONT = '"Source Sans 3", Arial, sans-serif'
FONT_FOLDER = Path(settings.BASE_DIR) / "static" / "polku" / "fonts"
WEIGHTS = {"400": "Regular", "700": "Bold"}
SUBSETS = ("latin", "latin-ext")

_lock = threading.Lock()
_registered: Path | None = None


def woff2_files() -> list[Path]:
    return [
        FONT_FOLDER / f"source-sans-3-{subset}-{weight}-normal.woff2"
        for weight in WEIGHTS
        for subset in SUBSETS
    ]


def _cache_folder() -> Path:
    digest = hashlib.sha256()
    for path in woff2_files():
        digest.update(path.read_bytes())
    return Path(tempfile.gettempdir()) / f"polku-chart-fonts-{digest.hexdigest()[:16]}"


def _write_truetype(folder: Path) -> None:
    # fontTools comes with WeasyPrint; imported here, as it is only needed once per process.
    from fontTools.merge import Merger  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    folder.mkdir(parents=True, exist_ok=True)
    # The merger reports every table it merges at the INFO level.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as work:
        for weight, style in WEIGHTS.items():
            parts = []
            for subset in SUBSETS:
                font = TTFont(FONT_FOLDER / f"source-sans-3-{subset}-{weight}-normal.woff2")
                font.flavor = None
                part = Path(work) / f"{subset}-{weight}.ttf"
                font.save(part)
                parts.append(str(part))
            merged = Merger().merge(parts)
            names = merged["name"]
            # The files carry the variable font's default instance name ("ExtraLight").
            names.setName(FAMILY, 1, 3, 1, 0x409)
            names.setName(style, 2, 3, 1, 0x409)
            names.setName(f"{FAMILY} {style}", 4, 3, 1, 0x409)
            names.setName(f"SourceSans3-{style}", 6, 3, 1, 0x409)
            target = folder / f"SourceSans3-{style}.ttf"
            temporary = folder / f".{target.name}.{threading.get_ident()}"
            merged.save(temporary)
            temporary.replace(target)


def register_chart_fonts() -> Path:
    """Makes Source Sans 3 known to vl-convert (once per process); returns its folder."""
    global _registered
    with _lock:
        if _registered is not None:
            return _registered
        import vl_convert

        folder = _cache_folder()
        if not all((folder / f"SourceSans3-{style}.ttf").exists() for style in WEIGHTS.values()):
            _write_truetype(folder)
        vl_convert.register_font_directory(str(folder))
        _registered = folder
        return folder
