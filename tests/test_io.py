"""load_image_folder and ImageReader: every format and mode read back exactly
(PNG 8/16-bit, 16-bit colour PNG through the own decoder, TIFF, JPEG against
Pillow's decoding, BMP); a folder with corrupt, truncated, empty, non-image,
oversized, linked and unreadable files, every outcome counted exactly; colour
and resizing equal to the scikit-image references; and a pipeline on paths
that predicts exactly as the same pipeline on the arrays."""

import os
import pathlib
import pickle
import re
import struct
import zlib

import numpy as np
import pytest
import tifffile
from numpy.testing import assert_allclose, assert_array_equal
from PIL import Image
from skimage import color as skcolor
from skimage import data as skdata
from skimage import transform
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

import skimgprep.io as skio
from skimgprep import HOGExtractor, ImageReader, load_image_folder, resize_images

RNG = np.random.default_rng(0)
GRAY_WEIGHTS = np.array([0.2125, 0.7154, 0.0721])


# -- a PNG encoder with every filter type, for 16-bit colour PNGs --------------

ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


def _filter_rows(rows, bpp, kinds):
    """PNG-filter byte rows (ph, stride), row y with filter kinds[y % 5]."""
    out = []
    prev = np.zeros(rows.shape[1], dtype=np.int64)
    for y, row in enumerate(rows.astype(np.int64)):
        kind = kinds[y % len(kinds)]
        a = np.concatenate([np.zeros(bpp, np.int64), row[:-bpp]])
        b = prev
        c = np.concatenate([np.zeros(bpp, np.int64), prev[:-bpp]])
        p = a + b - c
        pa, pb, pc = np.abs(p - a), np.abs(p - b), np.abs(p - c)
        paeth = np.where((pa <= pb) & (pa <= pc), a, np.where(pb <= pc, b, c))
        pred = [0, a, b, (a + b) // 2, paeth][kind]
        out.append(bytes([kind]) + ((row - pred) % 256).astype(np.uint8).tobytes())
        prev = row
    return b"".join(out)


def _chunk(kind, payload):
    return (
        struct.pack(">I", len(payload)) + kind + payload
        + struct.pack(">I", zlib.crc32(kind + payload))
    )


def write_png(path, image, *, kinds=(0, 1, 2, 3, 4), interlace=False):
    """Write ``image`` (uint8 or uint16, 1 to 4 channels) as a PNG."""
    image = np.asarray(image)
    h, w = image.shape[:2]
    channels = 1 if image.ndim == 2 else image.shape[2]
    size = image.dtype.itemsize
    big = np.ascontiguousarray(image.reshape(h, w, channels).astype(f">u{size}"))
    bpp = channels * size
    data = b""
    for x0, y0, dx, dy in ADAM7 if interlace else ((0, 0, 1, 1),):
        sub = np.ascontiguousarray(big[y0::dy, x0::dx])
        if sub.size:
            data += _filter_rows(sub.view(np.uint8).reshape(sub.shape[0], -1), bpp, kinds)
    ctype = {1: 0, 2: 4, 3: 2, 4: 6}[channels]
    ihdr = struct.pack(">IIBBBBB", w, h, 8 * size, ctype, 0, 0, int(interlace))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr))
        f.write(_chunk(b"IDAT", zlib.compress(data)) + _chunk(b"IEND", b""))
    return path


def _save(path, array, **kwargs):
    Image.fromarray(array).save(path, **kwargs)
    return path


def _pillow(path):
    return np.asarray(Image.open(path))


def _uint(shape, dtype=np.uint8):
    return RNG.integers(0, np.iinfo(dtype).max, size=shape, endpoint=True, dtype=dtype)


# -- every format and mode, back exactly ---------------------------------------

ROUND_TRIPS = {
    "png_gray8": lambda p: (_save(p + ".png", a := _uint((13, 17))), a),
    "png_rgb8": lambda p: (_save(p + ".png", a := _uint((13, 17, 3))), a),
    "png_rgba8": lambda p: (_save(p + ".png", a := _uint((13, 17, 4))), a),
    "png_gray_alpha8": lambda p: (_save(p + ".png", a := _uint((13, 17, 2))), a),
    "png_1bit": lambda p: (_save(p + ".png", a := _uint((13, 17)) > 127), a),
    "png_gray16": lambda p: (_save(p + ".png", a := _uint((13, 17), np.uint16)), a),
    "png_gray16_filters": lambda p: (write_png(p + ".png", a := _uint((13, 17), np.uint16)), a),
    "png_rgb16": lambda p: (write_png(p + ".png", a := _uint((13, 17, 3), np.uint16)), a),
    "png_rgba16": lambda p: (write_png(p + ".png", a := _uint((13, 17, 4), np.uint16)), a),
    "png_gray_alpha16": lambda p: (write_png(p + ".png", a := _uint((13, 17, 2), np.uint16)), a),
    "png_rgb16_interlaced": lambda p: (
        write_png(p + ".png", a := _uint((13, 17, 3), np.uint16), interlace=True), a
    ),
    "png_rgba16_one_pixel_interlaced": lambda p: (
        write_png(p + ".png", a := _uint((1, 1, 4), np.uint16), interlace=True), a
    ),
    "tif_gray8": lambda p: (tifffile.imwrite(p + ".tif", a := _uint((13, 17))) or p + ".tif", a),
    "tif_rgb16": lambda p: (
        tifffile.imwrite(p + ".tif", a := _uint((13, 17, 3), np.uint16), photometric="rgb")
        or p + ".tif", a,
    ),
    "tif_rgba16": lambda p: (
        tifffile.imwrite(
            p + ".tif", a := _uint((13, 17, 4), np.uint16), photometric="rgb",
            extrasamples="unassalpha",
        ) or p + ".tif", a,
    ),
    "tif_rgb16_planar": lambda p: (
        tifffile.imwrite(
            p + ".tif", np.moveaxis(a := _uint((13, 17, 3), np.uint16), 2, 0),
            photometric="rgb", planarconfig="separate",
        ) or p + ".tif", a,
    ),
    "tif_gray16": lambda p: (tifffile.imwrite(p + ".tif", a := _uint((13, 17), np.uint16)) or p + ".tif", a),
    "tif_float32": lambda p: (
        tifffile.imwrite(p + ".tiff", a := RNG.random((13, 17), dtype=np.float32)) or p + ".tiff", a
    ),
    "tif_big_endian_deflate": lambda p: (
        tifffile.imwrite(
            p + ".tif", a := _uint((13, 17), np.uint16), byteorder=">", compression="zlib"
        ) or p + ".tif", a,
    ),
    # LZW needs imagecodecs in tifffile: Pillow reads these, without loss.
    "tif_rgb8_lzw": lambda p: (_save(p + ".tif", a := _uint((13, 17, 3)), compression="tiff_lzw"), a),
    "tif_gray16_lzw": lambda p: (
        _save(p + ".tif", a := _uint((13, 17), np.uint16), compression="tiff_lzw"), a
    ),
    "bmp_gray": lambda p: (_save(p + ".bmp", a := _uint((13, 17))), a),
    "bmp_rgb": lambda p: (_save(p + ".bmp", a := _uint((13, 17, 3))), a),
}


@pytest.mark.parametrize("case", sorted(ROUND_TRIPS))
def test_round_trip_exact(tmp_path, case):
    path, expected = ROUND_TRIPS[case](str(tmp_path / case))
    (image,) = ImageReader().fit_transform([path])
    assert image.dtype == expected.dtype
    assert image.dtype.isnative
    assert image.shape == expected.shape
    assert_array_equal(image, expected)
    image[...] = 0  # a writable array of its own


@pytest.mark.parametrize("shape", [(13, 17), (13, 17, 3)])
def test_jpeg_as_pillow_decodes_it(tmp_path, shape):
    path = _save(str(tmp_path / "a.jpg"), _uint(shape), quality=80)
    (image,) = ImageReader().fit_transform([path])
    assert_array_equal(image, _pillow(path))
    assert image.dtype == np.uint8 and image.shape == shape


def test_palette_png_expanded_as_pillow_does(tmp_path):
    rgb = _uint((9, 11, 3))
    pal = Image.fromarray(rgb).convert("P")
    pal.save(tmp_path / "p.png")
    pal.save(tmp_path / "pt.png", transparency=3)
    a, b = ImageReader().fit_transform([str(tmp_path / "p.png"), str(tmp_path / "pt.png")])
    assert_array_equal(a, np.asarray(pal.convert("RGB")))
    assert_array_equal(b, np.asarray(Image.open(tmp_path / "pt.png").convert("RGBA")))
    assert b.shape == (9, 11, 4) and set(np.unique(b[..., 3])) <= {0, 255}


def test_min_is_white_tiff_inverted_as_pillow(tmp_path):
    path = str(tmp_path / "w.tif")
    tifffile.imwrite(path, _uint((5, 6)), photometric="miniswhite")
    (image,) = ImageReader().fit_transform([path])
    assert_array_equal(image, _pillow(path))


@pytest.mark.parametrize("mode", ["L", "RGB", "RGBA"])
def test_png_decoder_equals_pillow_on_pillows_filters(tmp_path, mode):
    """The own PNG decoder on 8-bit files Pillow wrote with its own filter choice."""
    shape = {"L": (31, 29), "RGB": (31, 29, 3), "RGBA": (31, 29, 4)}[mode]
    smooth = np.add.outer(np.arange(31), np.arange(29)).astype(np.uint8)
    image = np.clip(smooth.reshape(31, 29, *([1] * (len(shape) - 2))) + _uint(shape) // 8, 0, 255)
    path = _save(str(tmp_path / "a.png"), image.astype(np.uint8))
    with open(path, "rb") as f:
        width, height, depth, ctype, interlace = skio._png_header(f.read(64))
        decoded = skio._read_png(
            f, width=width, height=height, depth=depth, ctype=ctype, interlace=interlace
        )
    assert_array_equal(decoded, _pillow(path))


def test_own_png_encoder_agrees_with_pillow(tmp_path):
    """The test's encoder (every filter, interlaced) is read back by Pillow."""
    for interlace in (False, True):
        image = _uint((13, 17, 3))
        path = write_png(str(tmp_path / f"e{interlace}.png"), image, interlace=interlace)
        assert_array_equal(_pillow(path), image)


# -- a folder ---------------------------------------------------------------------


def _make_classes(root, spec):
    """spec: {class: [(relative name, array)]}; images saved with Pillow."""
    expected = {}
    for cls, items in spec.items():
        for name, array in items:
            path = os.path.join(root, cls, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            _save(path, array)
            expected[path] = array
    return expected


def test_folder_labels_filenames_sorted_and_aligned(tmp_path):
    root = str(tmp_path / "data")
    spec = {
        "zebra": [("b.png", _uint((5, 6))), ("a.png", _uint((7, 3, 3)))],
        "ant": [("x.bmp", _uint((4, 4, 3))), ("sub/y.PNG", _uint((2, 9)))],
        "moth": [("m.tif", _uint((3, 3)))],
    }
    expected = _make_classes(root, spec)
    bunch = load_image_folder(root)
    assert bunch.target_names == ["ant", "moth", "zebra"]
    names = [os.path.relpath(p, root) for p in bunch.filenames]
    assert names == [
        "ant/sub/y.PNG", "ant/x.bmp", "moth/m.tif", "zebra/a.png", "zebra/b.png"
    ]
    assert_array_equal(bunch.target, [0, 0, 1, 2, 2])
    assert bunch.target.dtype == np.int64
    assert bunch.skipped == [] and bunch.ignored == []
    for image, path in zip(bunch.images, bunch.filenames):
        assert_array_equal(image, expected[path])
    assert "5 images in 3 classes (ant: 2, moth: 1, zebra: 2)" in bunch.DESCR
    X, y = load_image_folder(root, return_X_y=True)
    assert_array_equal(y, bunch.target)
    for a, b in zip(X, bunch.images):
        assert_array_equal(a, b)
    # n_jobs and repeated calls give the same result
    again = load_image_folder(root, n_jobs=2)
    assert_array_equal(again.filenames, bunch.filenames)
    for a, b in zip(again.images, bunch.images):
        assert_array_equal(a, b)


def _bomb_png(path):
    """A 4x4 PNG whose header says 30000x30000 (CRC fixed); data too short."""
    _save(path, np.zeros((4, 4), np.uint8))
    raw = bytearray(pathlib.Path(path).read_bytes())
    ihdr = b"IHDR" + struct.pack(">II", 30000, 30000) + bytes(raw[24:29])
    raw[12:29] = ihdr
    raw[29:33] = struct.pack(">I", zlib.crc32(ihdr))
    pathlib.Path(path).write_bytes(bytes(raw))
    return path


def _bomb_jpeg(path):
    _save(path, np.zeros((8, 8, 3), np.uint8))
    raw = bytearray(pathlib.Path(path).read_bytes())
    sof = raw.index(b"\xff\xc0")
    raw[sof + 5 : sof + 9] = struct.pack(">HH", 60000, 60000)
    pathlib.Path(path).write_bytes(bytes(raw))
    return path


def _bomb_bmp(path):
    _save(path, np.zeros((4, 4, 3), np.uint8))
    raw = bytearray(pathlib.Path(path).read_bytes())
    raw[18:26] = struct.pack("<ii", 30000, 30000)
    pathlib.Path(path).write_bytes(bytes(raw))
    return path


@pytest.fixture
def messy_folder(tmp_path):
    """A folder with 6 readable images and every kind of bad entry.

    Returns (root, readable {path: array}, skipped {path: reason pattern},
    ignored paths, outside {link path: array}).
    """
    root = str(tmp_path / "data")
    outside = str(tmp_path / "elsewhere")
    os.makedirs(outside)
    good = _make_classes(
        root,
        {
            "cat": [("c1.png", _uint((6, 5))), ("c2.jpg", _uint((6, 5, 3))), ("deep/c3.tif", _uint((4, 4)))],
            "dog": [("d1.bmp", _uint((3, 7, 3))), ("d2.png", _uint((5, 5, 4)))],
            "eel": [("e1.png", _uint((2, 2)))],
        },
    )
    good = {p: (_pillow(p) if p.endswith(".jpg") else a) for p, a in good.items()}
    cat, dog, eel = (os.path.join(root, c) for c in ("cat", "dog", "eel"))
    cat_, dog_ = pathlib.Path(cat), pathlib.Path(dog)
    skipped = {}
    # corrupt, truncated, empty, not an image
    noise = bytes(RNG.integers(0, 256, 200, dtype=np.uint8))
    (cat_ / "corrupt.png").write_bytes(b"\x89PNG\r\n\x1a\n" + noise)
    skipped[os.path.join(cat, "corrupt.png")] = r"^truncated or broken PNG file: no IHDR header chunk\.$"
    png = pathlib.Path(_save(str(tmp_path / "t.png"), _uint((40, 40, 3)))).read_bytes()
    (cat_ / "truncated.png").write_bytes(png[: len(png) // 2])
    skipped[os.path.join(cat, "truncated.png")] = r"^cannot decode as PNG: OSError: image file is truncated"
    jpg = pathlib.Path(_save(str(tmp_path / "t.jpg"), _uint((40, 40, 3)))).read_bytes()
    (dog_ / "truncated.jpg").write_bytes(jpg[: len(jpg) // 2])
    skipped[os.path.join(dog, "truncated.jpg")] = r"^cannot decode as JPEG: OSError: image file is truncated"
    (dog_ / "empty.jpeg").write_bytes(b"")
    skipped[os.path.join(dog, "empty.jpeg")] = r"^empty file \(0 bytes\)\.$"
    pathlib.Path(eel, "notes.tif").write_text("not an image\n")
    skipped[os.path.join(eel, "notes.tif")] = r"^not a PNG, JPEG, TIFF or BMP file \(it starts with b'not an i'\)\.$"
    # decompression bombs, refused from the header
    for make, name in [(_bomb_png, "bomb.png"), (_bomb_jpeg, "bomb.jpg"), (_bomb_bmp, "bomb.bmp")]:
        make(os.path.join(eel, name))
        skipped[os.path.join(eel, name)] = (
            r"^possible decompression bomb: the header declares a (30000x30000|60000x60000) "
            r"image \(\d+ pixels\), more than max_pixels=178956970; nothing was decoded"
        )
    # symbolic links out of the folder: a file and a class folder
    away = {}
    outside_image = _save(os.path.join(outside, "o.png"), _uint((3, 3)))
    os.symlink(outside_image, os.path.join(dog, "link_out.png"))
    away[os.path.join(dog, "link_out.png")] = _pillow(outside_image)
    skipped[os.path.join(dog, "link_out.png")] = r"^symbolic link to .*elsewhere/o.png', outside the folder .*: not followed \(pass follow_symlinks=True"
    os.makedirs(os.path.join(outside, "fox"))
    fox_image = _save(os.path.join(outside, "fox", "f.png"), _uint((3, 4)))
    os.symlink(os.path.join(outside, "fox"), os.path.join(root, "fox"))
    away[os.path.join(root, "fox", "f.png")] = _pillow(fox_image)
    skipped[os.path.join(root, "fox")] = r"^symbolic link to .*elsewhere/fox', outside the folder"
    # a link inside the folder is followed; a link loop is reported
    os.symlink(os.path.join(cat, "c1.png"), os.path.join(eel, "link_in.png"))
    good[os.path.join(eel, "link_in.png")] = good[os.path.join(cat, "c1.png")]
    os.symlink(eel, os.path.join(eel, "loop"))
    skipped[os.path.join(eel, "loop")] = r"^symbolic link loop"
    # not candidates
    ignored = [
        os.path.join(root, "README.txt"),
        os.path.join(root, "loose.png"),
        os.path.join(cat, ".hidden.png"),
        os.path.join(dog, "labels.csv"),
        os.path.join(root, ".cache"),
    ]
    for p in ignored[:4]:
        pathlib.Path(p).write_text("x")
    os.makedirs(ignored[4])
    return root, good, skipped, sorted(ignored), away


def test_messy_folder_every_file_accounted_for(messy_folder):
    root, good, skipped, ignored, _ = messy_folder
    with pytest.warns(UserWarning, match=rf"skipped {len(skipped)} file\(s\) of"):
        bunch = load_image_folder(root)
    assert bunch.target_names == ["cat", "dog", "eel"]
    assert sorted(bunch.filenames) == sorted(good)  # every readable file, none lost
    assert len(bunch.images) == len(good) == 7
    for image, path in zip(bunch.images, bunch.filenames):
        assert_array_equal(image, good[path])
    classes = [os.path.relpath(p, root).split(os.sep)[0] for p in bunch.filenames]
    assert_array_equal(bunch.target, [bunch.target_names.index(c) for c in classes])
    assert [p for p, _ in bunch.skipped] == sorted(skipped)
    for path, reason in bunch.skipped:
        assert re.search(skipped[path], reason), (path, reason)
    assert sorted(bunch.ignored) == ignored
    assert f"{len(good)} images in 3 classes" in bunch.DESCR
    assert f"{len(skipped)} skipped, {len(ignored)} ignored" in bunch.DESCR


def test_messy_folder_follow_symlinks(messy_folder):
    root, good, skipped, _, away = messy_folder
    with pytest.warns(UserWarning):
        bunch = load_image_folder(root, follow_symlinks=True)
    assert bunch.target_names == ["cat", "dog", "eel", "fox"]
    assert sorted(bunch.filenames) == sorted({**good, **away})
    for image, path in zip(bunch.images, bunch.filenames):
        assert_array_equal(image, {**good, **away}[path])
    assert len(bunch.skipped) == len(skipped) - 2


def test_messy_folder_on_error_raise(messy_folder):
    root = messy_folder[0]
    # links not followed raise before any file is read
    with pytest.raises(ValueError, match=r"cannot read '.*dog/link_out.png': symbolic link to"):
        load_image_folder(root, on_error="raise")
    with pytest.raises(ValueError, match=r"cannot read '.*eel/loop': symbolic link loop"):
        load_image_folder(root, on_error="raise", follow_symlinks=True)
    os.remove(os.path.join(root, "eel", "loop"))
    # then the first file, in order, that cannot be read
    with pytest.raises(ValueError, match=r"cannot read '.*cat/corrupt.png'"):
        load_image_folder(root, on_error="raise", follow_symlinks=True)


@pytest.mark.parametrize(
    "make", [lambda p: _save(p + ".png", _uint((20, 20))),
             lambda p: (tifffile.imwrite(p + ".tif", _uint((20, 20, 3), np.uint16)) or p + ".tif"),
             lambda p: _save(p + ".jpg", _uint((20, 20, 3))),
             lambda p: write_png(p + ".png", _uint((20, 20, 3), np.uint16))],
)
def test_max_pixels_is_configurable(tmp_path, make):
    os.makedirs(tmp_path / "a")
    path = make(str(tmp_path / "a" / "img"))
    with pytest.warns(UserWarning, match="skipped 1 file"):
        bunch = load_image_folder(tmp_path, max_pixels=399)
    assert len(bunch.images) == 0
    reason = (
        "possible decompression bomb: the header declares a 20x20 image (400 "
        "pixels), more than max_pixels=399; nothing was decoded. Raise "
        "max_pixels to read it."
    )
    assert bunch.skipped == [(path, reason)]
    assert load_image_folder(tmp_path, max_pixels=400).images[0].shape[:2] == (20, 20)
    with pytest.raises(ValueError, match=r"cannot read .*img.*possible decompression bomb"):
        ImageReader(max_pixels=399).fit_transform([path])


def test_bomb_above_pillows_limit_read_when_allowed(tmp_path):
    """max_pixels replaces Pillow's limit: a header above it is checked by ours."""
    os.makedirs(tmp_path / "a")
    path = _bomb_png(str(tmp_path / "a" / "b.png"))
    with pytest.warns(UserWarning):
        bunch = load_image_folder(tmp_path, max_pixels=10**9)
    # allowed by max_pixels, so decoded: the data is then too short
    assert bunch.skipped == [(path, bunch.skipped[0][1])]
    assert "truncated" in bunch.skipped[0][1]


def test_unreadable_permissions(tmp_path):
    """chmod 000: unreadable for a user, readable for root; both asserted."""
    _make_classes(str(tmp_path), {"a": [("x.png", _uint((3, 3))), ("y.png", _uint((4, 4)))]})
    locked = str(tmp_path / "a" / "y.png")
    os.chmod(locked, 0)
    try:
        if os.access(locked, os.R_OK):  # root: reading is not stopped
            bunch = load_image_folder(tmp_path)
            assert len(bunch.images) == 2 and bunch.skipped == []
        else:
            with pytest.warns(UserWarning, match="skipped 1 file"):
                bunch = load_image_folder(tmp_path)
            assert len(bunch.images) == 1
            assert bunch.skipped[0][0] == locked
            assert bunch.skipped[0][1].startswith("permission denied")
    finally:
        os.chmod(locked, 0o644)


def test_permission_error_reported(tmp_path, monkeypatch):
    """The opener raising PermissionError, as for a user without read access."""
    _make_classes(str(tmp_path), {"a": [("x.png", _uint((3, 3))), ("y.tif", _uint((4, 4)))]})
    locked = str(tmp_path / "a" / "y.tif")
    opener = skio._open_binary

    def deny(path):
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", path)
        return opener(path)

    monkeypatch.setattr(skio, "_open_binary", deny)
    with pytest.warns(UserWarning, match=r"skipped 1 file\(s\).*y.tif \(permission denied"):
        bunch = load_image_folder(tmp_path)
    assert [os.path.basename(p) for p in bunch.filenames] == ["x.png"]
    assert bunch.skipped == [(locked, "permission denied (Permission denied).")]
    with pytest.raises(ValueError, match=r"cannot read '.*y.tif': permission denied"):
        ImageReader().fit_transform([locked])


def test_tiff_pillow_fallback_refuses_lossy_16bit_colour(tmp_path, monkeypatch):
    path = str(tmp_path / "c.tif")
    tifffile.imwrite(path, _uint((5, 5, 3), np.uint16), photometric="rgb")

    class NoCodec:
        def __init__(self, *args, **kwargs):
            raise ValueError("<COMPRESSION.LZW: 5> requires the 'imagecodecs' package")

    monkeypatch.setattr(tifffile, "TiffFile", NoCodec)
    with pytest.raises(ValueError, match=r"Pillow would reduce its 16-bit samples to 8 bits; install the imagecodecs"):
        ImageReader().fit_transform([path])


def test_folder_errors_name_the_path(tmp_path):
    missing = str(tmp_path / "nope")
    with pytest.raises(FileNotFoundError, match=r"no such folder: '.*nope'"):
        load_image_folder(missing)
    file = _save(str(tmp_path / "f.png"), _uint((2, 2)))
    with pytest.raises(NotADirectoryError, match=r"'.*f.png' is a file"):
        load_image_folder(file)
    flat = tmp_path / "flat"
    flat.mkdir()
    _save(str(flat / "a.png"), _uint((2, 2)))
    with pytest.raises(ValueError, match=r"one subfolder per class in '.*flat'.*found no class subfolder\. It holds 1 image file"):
        load_image_folder(flat)
    (flat / "cls").mkdir()
    (flat / "cls" / "notes.txt").write_text("x")
    with pytest.raises(ValueError, match=r"no image file in the class folder '.*flat/cls'"):
        load_image_folder(flat)
    with pytest.raises(ValueError, match="output_shape must be a tuple of two positive integers"):
        load_image_folder(flat, output_shape=(0, 3))
    with pytest.raises(ValueError, match="extensions must be file extensions"):
        load_image_folder(flat, extensions=(".",))


def test_extensions_choose_the_files(tmp_path):
    _make_classes(str(tmp_path), {"a": [("x.png", _uint((3, 3))), ("y.bmp", _uint((4, 4)))]})
    bunch = load_image_folder(tmp_path, extensions=("PNG",))
    assert [os.path.basename(p) for p in bunch.filenames] == ["x.png"]
    assert [os.path.basename(p) for p in bunch.ignored] == ["y.bmp"]


# -- colour and size ---------------------------------------------------------------


def test_color_gray_and_rgb_match_skimage(tmp_path):
    rgb, rgba, gray = _uint((9, 8, 3)), _uint((9, 8, 4)), _uint((9, 8))
    paths = [_save(str(tmp_path / f"{i}.png"), a) for i, a in enumerate((rgb, rgba, gray))]
    g_rgb, g_rgba, g_gray = ImageReader(color="gray").fit_transform(paths)
    assert g_rgb.dtype == np.uint8 and g_rgb.shape == (9, 8)
    assert_array_equal(g_rgb, np.rint(rgb @ GRAY_WEIGHTS))
    assert np.abs(g_rgb - skcolor.rgb2gray(rgb) * 255).max() <= 0.5 + 1e-9
    composited = skcolor.rgba2rgb(rgba) * 255  # white background
    assert np.abs(g_rgba - composited @ GRAY_WEIGHTS).max() <= 0.5 + 1e-9
    assert_array_equal(g_gray, gray)
    c_rgb, c_rgba, c_gray = ImageReader(color="rgb").fit_transform(paths)
    assert_array_equal(c_rgb, rgb)
    assert c_rgba.dtype == np.uint8
    assert np.abs(c_rgba - composited).max() <= 0.5 + 1e-9
    assert_array_equal(c_gray, skcolor.gray2rgb(gray))


def test_color_uint16_kept(tmp_path):
    rgb = _uint((6, 7, 3), np.uint16)
    path = write_png(str(tmp_path / "a.png"), rgb)
    (gray,) = ImageReader(color="gray").fit_transform([path])
    assert gray.dtype == np.uint16
    assert_array_equal(gray, np.rint(rgb @ GRAY_WEIGHTS))


def test_output_shape_equals_skimage_resize(tmp_path):
    astronaut = skdata.astronaut()[::4, ::4]  # 128x128x3
    camera = skdata.camera()[100:160, 50:130]  # 60x80
    paths = [_save(str(tmp_path / "a.png"), astronaut), _save(str(tmp_path / "c.png"), camera)]
    X = ImageReader(output_shape=(32, 24), color="gray").fit_transform(paths)
    assert X.shape == (2, 32, 24) and X.dtype == np.float32
    gray = np.rint(astronaut @ GRAY_WEIGHTS).astype(np.uint8)
    for x, image in zip(X, [gray, camera]):
        assert_array_equal(x, resize_images(image[None], (32, 24))[0])
        reference = transform.resize(image, (32, 24), order=1, anti_aliasing=True, preserve_range=True)
        assert_allclose(x, reference, rtol=1e-5, atol=1e-3)


def test_auto_mixed_modes_rule(tmp_path):
    gray, rgb, rgba, la = _uint((10, 10)), _uint((12, 9, 3)), _uint((8, 8, 4)), _uint((9, 9, 2))
    paths = [_save(str(tmp_path / f"{i}.png"), a) for i, a in enumerate((gray, rgb, rgba, la))]
    X = ImageReader(output_shape=(6, 6)).fit_transform(paths)  # colour present: all "rgb"
    assert X.shape == (4, 6, 6, 3) and X.dtype == np.float32
    r = [resize_images(a[None], (6, 6))[0].astype(np.float64) for a in (gray, rgb, rgba, la)]
    assert_allclose(X[0], np.repeat(r[0][..., None], 3, axis=-1), rtol=1e-6)
    assert_allclose(X[1], r[1], rtol=1e-6)
    alpha = r[2][..., 3:] / 255
    assert_allclose(X[2], r[2][..., :3] * alpha + 255 * (1 - alpha), rtol=1e-5)
    alpha = r[3][..., 1:] / 255
    assert_allclose(X[3], np.repeat(r[3][..., :1] * alpha + 255 * (1 - alpha), 3, axis=-1), rtol=1e-5)
    # only grayscale with and without alpha: all "gray"
    G = ImageReader(output_shape=(6, 6)).fit_transform([paths[0], paths[3]])
    assert G.shape == (2, 6, 6)
    assert_allclose(G[1], X[3][..., 0], rtol=1e-6)
    # one mode: kept
    assert ImageReader(output_shape=(6, 6)).fit_transform([paths[2]]).shape == (1, 6, 6, 4)


def test_mixed_bit_depths_warn(tmp_path):
    paths = [_save(str(tmp_path / "a.png"), _uint((4, 4))), _save(str(tmp_path / "b.png"), _uint((4, 4), np.uint16))]
    with pytest.warns(UserWarning, match=r"several dtypes \(uint16, uint8\)"):
        X = ImageReader(output_shape=(4, 4)).fit_transform(paths)
    assert_array_equal(X[1], _pillow(paths[1]))


# -- ImageReader -----------------------------------------------------------------------


@pytest.fixture
def three_files(tmp_path):
    arrays = [_uint((5, 6, 3)), _uint((7, 4, 3)), _uint((3, 3, 3))]
    return [_save(str(tmp_path / f"{i}.png"), a) for i, a in enumerate(arrays)], arrays


def test_reader_accepts_every_form_of_paths(three_files):
    import pandas as pd

    paths, arrays = three_files
    forms = [
        paths, tuple(paths), np.array(paths), np.array(paths)[:, None],
        [[p] for p in paths], [pathlib.Path(p) for p in paths],
        np.array([pathlib.Path(p) for p in paths], dtype=object),
        pd.Series(paths), pd.DataFrame({"file": paths}), [os.fsencode(p) for p in paths],
    ]
    for X in forms:
        out = ImageReader().fit_transform(X)
        assert isinstance(out, list) and len(out) == 3
        for a, b in zip(out, arrays):
            assert_array_equal(a, b)


def test_reader_paths_and_arrays_give_the_same_numbers(three_files):
    paths, arrays = three_files
    for params in [{"output_shape": (4, 5)}, {"output_shape": (4, 5), "color": "gray"}, {"color": "gray"}]:
        from_files = ImageReader(**params).fit_transform(paths)
        from_arrays = ImageReader(**params).fit_transform(arrays)
        if isinstance(from_files, list):
            for a, b in zip(from_files, from_arrays):
                assert_array_equal(a, b)
        else:
            assert_array_equal(from_files, from_arrays)
            batch = np.stack([a[:3, :3] for a in arrays])  # a batch, then flattened rows
            assert_array_equal(
                ImageReader(**params).fit_transform(batch),
                ImageReader(**params).fit_transform([a for a in batch]),
            )
            flat = ImageReader(image_shape=(3, 3, 3), **params).fit_transform(batch.reshape(3, -1))
            assert_array_equal(flat, ImageReader(**params).fit_transform(batch).reshape(3, -1))


def test_reader_arrays_not_modified_and_copied():
    X = _uint((2, 4, 4, 3))
    before = X.copy()
    for params in [{}, {"color": "rgb"}, {"color": "gray"}, {"output_shape": (2, 2)}]:
        out = ImageReader(**params).fit_transform(X)
        assert not np.may_share_memory(out, X)
    assert_array_equal(X, before)
    out = ImageReader().fit_transform(X.astype(np.float32))
    assert out.dtype == np.float32


def test_reader_fit_on_paths_reads_nothing(tmp_path):
    reader = ImageReader().fit([str(tmp_path / "missing.png")])
    assert reader.image_shape_ is None and not hasattr(reader, "n_features_in_")
    fitted = ImageReader().fit(np.zeros((2, 6)))
    assert fitted.n_features_in_ == 6
    fitted.fit(["a.png"])  # refit on paths forgets the array's shape
    assert not hasattr(fitted, "n_features_in_")


def test_reader_on_error(three_files, tmp_path):
    paths, arrays = three_files
    bad = str(tmp_path / "bad.png")
    pathlib.Path(bad).write_bytes(b"GIF89a....")
    with pytest.raises(ValueError, match=r"ImageReader cannot read '.*bad.png': not a PNG, JPEG, TIFF or BMP file \(it starts with b'GIF89a"):
        ImageReader().fit_transform([paths[0], bad])
    missing = str(tmp_path / "missing.png")
    with pytest.raises(ValueError, match=r"cannot read '.*missing.png': no such file\. \(1 more file\(s\) cannot be read\)"):
        ImageReader().fit_transform([missing, bad])
    with pytest.warns(UserWarning, match=r"could not read 1 of 3 files; their rows hold NaN images: .*bad.png \(not a PNG"):
        X = ImageReader(output_shape=(3, 3), on_error="fill").fit_transform([paths[0], bad, paths[2]])
    assert X.shape == (3, 3, 3, 3)
    assert np.isnan(X[1]).all() and np.isfinite(X[[0, 2]]).all()
    assert_array_equal(X[2], arrays[2])
    with pytest.warns(UserWarning, match="rows hold None"):
        out = ImageReader(on_error="fill").fit_transform([bad, paths[1]])
    assert out[0] is None
    assert_array_equal(out[1], arrays[1])


def test_reader_input_errors(three_files):
    paths, _ = three_files
    with pytest.raises(ValueError, match=r"got one path, '.*0.png': pass \['.*0.png'\]"):
        ImageReader().fit(paths[0])
    with pytest.raises(ValueError, match=r"mixes paths with a float value \(1.5\)"):
        ImageReader().fit(np.array([paths[0], 1.5], dtype=object))
    with pytest.raises(ValueError, match=r"got paths in an array of shape \(1, 2\)"):
        ImageReader().fit(np.array([[paths[0], paths[1]]]))
    with pytest.raises(ValueError, match="got an empty list"):
        ImageReader().fit([])
    with pytest.raises(ValueError, match="output_shape must be a tuple of two positive integers"):
        ImageReader(output_shape=(3,)).fit(paths)
    reader = ImageReader().fit(np.zeros((2, 4, 4, 3)))
    with pytest.raises(ValueError, match="fitted on images with 3 channel"):
        reader.transform(np.zeros((2, 4, 4)))


def test_reader_n_jobs_and_pickle(three_files):
    paths, _ = three_files
    reader = ImageReader(output_shape=(4, 4), n_jobs=2).fit(paths)
    clone_ = pickle.loads(pickle.dumps(reader))
    assert_array_equal(clone_.transform(paths), ImageReader(output_shape=(4, 4)).fit_transform(paths))


def test_pipeline_on_paths_predicts_as_on_arrays(tmp_path):
    digits = load_digits()
    images = (digits.images[:360] * 15).astype(np.uint8)  # 0..240, exact in PNG
    y = digits.target[:360]
    for label in range(10):
        os.makedirs(tmp_path / str(label))
    paths = np.array([
        _save(str(tmp_path / str(label) / f"{i:03d}.png"), image)
        for i, (image, label) in enumerate(zip(images, y))
    ])
    pipe = make_pipeline(
        ImageReader(output_shape=(16, 16)),
        HOGExtractor(pixels_per_cell=(4, 4), cells_per_block=(2, 2)),
        LogisticRegression(max_iter=2000),
    )
    train, test = slice(0, 270), slice(270, 360)
    on_paths = clone(pipe).fit(paths[train], y[train]).predict(paths[test])
    on_arrays = clone(pipe).fit(images[train], y[train]).predict(images[test])
    assert_array_equal(on_paths, on_arrays)
    assert (on_paths == y[test]).mean() > 0.85
    # the folder loader gives the same batch, labels from the folder names
    bunch = load_image_folder(tmp_path, output_shape=(16, 16))
    order = np.argsort(paths)
    assert_array_equal(bunch.filenames, paths[order])
    assert_array_equal(bunch.target, y[order])
    assert_array_equal(bunch.images, ImageReader(output_shape=(16, 16)).fit_transform(images[order]))
