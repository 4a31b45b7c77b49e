"""Loading images from files: :func:`load_image_folder` (a folder with one
subfolder per class, to images, labels and file names) and
:class:`ImageReader` (a pipeline step from file paths to images).

Reading a file
--------------
Every file goes through one reader, whatever its name says:

1. **Format.** It comes from the file's first bytes (its signature), not from
   its extension: PNG, JPEG, TIFF (BigTIFF too) and BMP are read; anything
   else, an empty file included, cannot be read, and the reason says what
   the file starts with.
2. **Size before decoding.** The width and height are read from the header
   and ``width * height`` is checked against ``max_pixels`` before any pixel
   is decoded: a decompression bomb (a small file that declares a huge
   image) is refused with the declared size in the reason. The default,
   178,956,970 pixels, is the size at which Pillow refuses to open a file
   (twice ``PIL.Image.MAX_IMAGE_PIXELS``); ``max_pixels`` replaces Pillow's
   own limit, larger or smaller.
3. **Decoding**, pixels in the order stored (EXIF orientation is not
   applied), values and dtype as stored:

   - PNG, JPEG and BMP through Pillow's plugin for the format
     (``PIL.PngImagePlugin.PngImageFile``, ...): "L" grayscale ``(h, w)``
     uint8; "LA" grayscale with alpha ``(h, w, 2)``; "RGB" ``(h, w, 3)``;
     "RGBA" ``(h, w, 4)``; 16-bit grayscale ``(h, w)`` uint16; 1-bit
     images bool; palette images expanded to RGB, or to RGBA when the
     palette has a transparent entry (as :func:`imageio.v3.imread` does);
     other modes (CMYK or YCbCr JPEG, ...) converted to RGB by Pillow.
   - 16-bit colour PNG (RGB, RGBA, grayscale with alpha), which Pillow
     reduces to 8 bits per sample, is decoded here to uint16: the chunks
     are checked (CRC), the image data inflated with :mod:`zlib` to at most
     the size the header declares, the PNG filters undone row by row by a
     compiled loop (:func:`_unfilter`), Adam7-interlaced files
     de-interlaced. The result equals the file's samples exactly.
   - TIFF through tifffile: the first page, channels last (planar files
     too), in the stored dtype (uint8, uint16, float32, ...); "min-is-white"
     pages are inverted as Pillow does. Pages tifffile cannot decode (LZW
     or JPEG compression without the optional ``imagecodecs`` package) and
     palette, CMYK or YCbCr pages go to Pillow, unless Pillow would reduce
     samples of more than 8 bits to 8: then the file cannot be read, and
     the reason says to install ``imagecodecs``.

   A file that fails at any step (cannot be opened, a permission error, a
   corrupt or truncated file, a decompression bomb) is reported with the
   reason, never dropped silently: :func:`load_image_folder` lists it in
   ``skipped``, :class:`ImageReader` raises a ``ValueError`` naming it.

Colour
------
``color`` is "auto" (each image as stored), "gray" or "rgb". The conversions
keep the dtype and value range of the image (integer results rounded to the
nearest integer), with "white" the dtype's maximum (255 for uint8, 65535 for
uint16, 1 for floats and bool):

- an alpha channel (grayscale with alpha, RGBA) is composited over a white
  background, ``out = alpha * colour + (1 - alpha) * white`` with
  ``alpha`` the alpha channel divided by white (as
  :func:`skimage.color.rgba2rgb` with its default white background);
- "gray" of colour is :func:`skimage.color.rgb2gray`'s weighted sum
  ``0.2125 R + 0.7154 G + 0.0721 B`` (ITU-R BT.709), in the stored range;
- "rgb" of grayscale repeats it on three channels
  (:func:`skimage.color.gray2rgb`).

``color="auto"`` with ``output_shape`` (one batch) and images of different
channel counts: all images go to "rgb" if any of them has colour (3 or 4
channels), else to "gray" (a mix of grayscale with and without alpha). Then
the conversion is made after the resizing, on the float values.

Size
----
With ``output_shape=(h, w)`` every image is resized, right after it is read
(so only the small images are kept), by :func:`skimgprep.resize_images`:
``skimage.transform.resize(image, output_shape, order=1,
anti_aliasing=True, preserve_range=True)`` (bilinear, with a Gaussian
pre-filter along each axis that is downsized, none when enlarging), values
kept in the stored range, float32 for integer and bool images (float64
images stay float64). The result is one batch ``(n, h, w[, c])``; without
``output_shape`` a list of arrays of their own sizes, as stored.
"""

import os
import struct
import warnings
import zlib
from numbers import Integral

import numpy as np
import scipy.sparse as sp
from numba import njit
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils import Bunch
from sklearn.utils.validation import check_is_fitted

from ._compat import Interval, StrOptions, _fit_context, validate_params
from ._parallel import run_tasks
from ._progress import advance, reporting
from ._validation import check_pair, float_dtype
from .base import ImageMixin
from .geometry import _zoom, resize_images

__all__ = ["IMAGE_EXTENSIONS", "MAX_PIXELS", "ImageReader", "load_image_folder"]

#: The file extensions :func:`load_image_folder` reads by default (compared
#: without regard to case).
IMAGE_EXTENSIONS = (".bmp", ".jpeg", ".jpg", ".png", ".tif", ".tiff")

#: Default ``max_pixels``: Pillow's limit for refusing a file, twice
#: ``PIL.Image.MAX_IMAGE_PIXELS`` (``2 * (1024**3 // 4 // 3)``).
MAX_PIXELS = 178_956_970

#: skimage.color.rgb2gray's weights (ITU-R BT.709).
_GRAY_WEIGHTS = np.array([0.2125, 0.7154, 0.0721])

_COLORS = ("auto", "gray", "rgb")


class _Unreadable(Exception):
    """A file that cannot be read; the message is the reason."""


def _open_binary(path):
    """Open ``path`` for reading bytes (every read goes through here)."""
    return open(path, "rb")


# --- formats -------------------------------------------------------------------


def _format_of(head):
    """The format of a file that starts with ``head``, or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if head.startswith(b"BM"):
        return "bmp"
    return None


def _check_size(width, height, max_pixels):
    """Refuse an image whose header declares more than ``max_pixels``."""
    pixels = int(width) * int(height)
    if pixels > max_pixels:
        raise _Unreadable(
            f"possible decompression bomb: the header declares a {width}x{height} "
            f"image ({pixels} pixels), more than max_pixels={max_pixels}; nothing "
            "was decoded. Raise max_pixels to read it."
        )
    if pixels == 0:
        raise _Unreadable(f"the header declares an empty image ({width}x{height}).")


# --- PNG with 16-bit colour -------------------------------------------------------

#: Samples per pixel of the PNG colour types read by _read_png.
_PNG_CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}
#: The Adam7 passes: first column, first row, column step, row step.
_ADAM7 = (
    (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4),
    (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2),
)


@njit(nogil=True, cache=True)
def _unfilter(lines, bpp, out):
    """Undo the PNG filters of ``lines`` into ``out``.

    ``lines`` is ``(h, 1 + stride)`` uint8, each row a filter type byte then
    the filtered bytes; ``out`` is ``(h, stride)`` uint8, ``bpp`` the bytes
    per pixel. The filters (PNG specification, section 9): 0 None, 1 Sub,
    2 Up, 3 Average, 4 Paeth, each undone modulo 256 from the already
    unfiltered left (``a``), upper (``b``) and upper-left (``c``) bytes.
    Returns -1, or the first row with an unknown filter type.
    """
    h, stride = out.shape
    for y in range(h):
        kind = lines[y, 0]
        if kind > 4:
            return y
        for x in range(stride):
            v = np.int64(lines[y, x + 1])
            a = np.int64(out[y, x - bpp]) if x >= bpp else np.int64(0)
            b = np.int64(out[y - 1, x]) if y > 0 else np.int64(0)
            if kind == 0:
                r = v
            elif kind == 1:
                r = v + a
            elif kind == 2:
                r = v + b
            elif kind == 3:
                r = v + (a + b) // 2
            else:
                c = np.int64(out[y - 1, x - bpp]) if y > 0 and x >= bpp else np.int64(0)
                p = a + b - c
                pa = abs(p - a)
                pb = abs(p - b)
                pc = abs(p - c)
                if pa <= pb and pa <= pc:
                    r = v + a
                elif pb <= pc:
                    r = v + b
                else:
                    r = v + c
            out[y, x] = r & 255
    return -1


def _png_header(head):
    """``(width, height, bit_depth, colour_type, interlace)`` from IHDR."""
    if len(head) < 33 or head[12:16] != b"IHDR":
        raise _Unreadable("truncated or broken PNG file: no IHDR header chunk.")
    width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", head[16:29])
    return width, height, depth, ctype, interlace


def _read_png(f, *, width, height, depth, ctype, interlace):
    """Decode a non-palette PNG of 8 or 16 bits per sample (see the module
    docstring); the size has been checked. Returns ``(h, w[, c])``."""
    channels = _PNG_CHANNELS[ctype]
    bpp = channels * depth // 8
    passes = _ADAM7 if interlace else ((0, 0, 1, 1),)
    sizes = [
        (-(-(width - x0) // dx) if width > x0 else 0, -(-(height - y0) // dy) if height > y0 else 0)
        for x0, y0, dx, dy in passes
    ]
    expected = sum(ph * (1 + pw * bpp) for pw, ph in sizes if pw and ph)
    f.seek(8)
    idat = []
    while True:
        head = f.read(8)
        if len(head) < 8:
            break  # no IEND: the data is checked for completeness below
        length, kind = struct.unpack(">I4s", head)
        data = f.read(length)
        crc = f.read(4)
        name = kind.decode("latin-1")
        if len(data) < length or len(crc) < 4:
            raise _Unreadable(f"truncated PNG file: its {name} chunk is cut short.")
        if zlib.crc32(kind + data) != int.from_bytes(crc, "big"):
            raise _Unreadable(f"broken PNG file: CRC error in its {name} chunk.")
        if kind == b"IDAT":
            idat.append(data)
        elif kind == b"IEND":
            break
    try:
        raw = zlib.decompressobj().decompress(b"".join(idat), expected)
    except zlib.error as exc:
        raise _Unreadable(f"broken PNG file: its image data cannot be inflated ({exc}).")
    if len(raw) < expected:
        raise _Unreadable(
            f"truncated PNG file: {len(raw)} of the {expected} bytes of image data."
        )
    raw = np.frombuffer(raw, dtype=np.uint8)
    dtype = np.dtype(">u2") if depth == 16 else np.dtype(np.uint8)
    image = np.empty((height, width, channels), dtype=dtype)
    pos = 0
    for (x0, y0, dx, dy), (pw, ph) in zip(passes, sizes):
        if not pw or not ph:
            continue
        stride = pw * bpp
        rows = np.empty((ph, stride), dtype=np.uint8)
        bad = _unfilter(raw[pos : pos + ph * (stride + 1)].reshape(ph, stride + 1), bpp, rows)
        if bad >= 0:
            raise _Unreadable(
                f"broken PNG file: unknown filter type {raw[pos + bad * (stride + 1)]} "
                f"on row {bad}."
            )
        pos += ph * (stride + 1)
        image[y0::dy, x0::dx] = rows.view(dtype).reshape(ph, pw, channels)
    image = image.astype(dtype.newbyteorder("="), copy=False)
    return image[..., 0] if channels == 1 else image


# --- Pillow ------------------------------------------------------------------------

#: Pillow modes whose array is kept as it is.
_PIL_KEPT = {"1", "L", "LA", "RGB", "RGBA", "I", "F", "I;16", "I;16B", "I;16L", "I;16N"}
#: Pillow modes of at most 8 bits per sample.
_PIL_8BIT = {"1", "L", "LA", "La", "P", "PA", "RGB", "RGBA", "RGBa", "RGBX", "CMYK", "YCbCr", "LAB", "HSV"}


def _pil_plugin(fmt):
    from PIL import BmpImagePlugin, JpegImagePlugin, PngImagePlugin, TiffImagePlugin

    return {
        "png": PngImagePlugin.PngImageFile,
        "jpeg": JpegImagePlugin.JpegImageFile,
        "bmp": BmpImagePlugin.BmpImageFile,
        "tiff": TiffImagePlugin.TiffImageFile,
    }[fmt]


def _pil_array(im):
    """The pixels of a loaded Pillow image as a new, writable array."""
    mode = im.mode
    if mode in ("P", "PA"):
        im = im.convert("RGBA" if mode == "PA" or "transparency" in im.info else "RGB")
    elif mode == "RGBa":
        im = im.convert("RGBA")
    elif mode == "La":
        im = im.convert("LA")
    elif mode not in _PIL_KEPT:
        im = im.convert("RGB")
    image = np.asarray(im)
    if not image.dtype.isnative:
        return image.astype(image.dtype.newbyteorder("="))
    return image.copy() if not image.flags.writeable else image


def _read_pillow(f, fmt, max_pixels, *, tiff_error=None):
    """Decode with Pillow's plugin for ``fmt`` (the size checked first)."""
    f.seek(0)
    im = _pil_plugin(fmt)(f)  # parses the header only; no size limit of Pillow's
    _check_size(im.size[0], im.size[1], max_pixels)
    if fmt == "tiff":
        bits = im.tag_v2.get(258, 1)
        bits = max(bits) if isinstance(bits, tuple) else int(bits)
        if bits > 8 and im.mode in _PIL_8BIT:
            raise _Unreadable(
                f"tifffile cannot decode this TIFF ({tiff_error}), and Pillow would "
                f"reduce its {bits}-bit samples to 8 bits; install the imagecodecs "
                "package to read it without loss."
            )
    im.load()
    return _pil_array(im)


# --- TIFF ----------------------------------------------------------------------------


def _read_tiff(f, max_pixels):
    """The first page of a TIFF, channels last (see the module docstring)."""
    import tifffile

    try:
        f.seek(0)
        tif = tifffile.TiffFile(f)
        try:
            page = tif.pages[0]
            _check_size(page.imagewidth, page.imagelength, max_pixels)
            photometric = int(page.photometric)
            if photometric not in (0, 1, 2):  # min-is-white, min-is-black, RGB
                raise ValueError(f"photometric interpretation {page.photometric.name}")
            image = page.asarray()
            axes = page.axes
        finally:
            tif.close()
    except _Unreadable:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure: try Pillow, then report
        tiff_error = f"{type(exc).__name__}: {exc}"
        try:
            return _read_pillow(f, "tiff", max_pixels, tiff_error=tiff_error)
        except _Unreadable:
            raise
        except Exception as pil_exc:  # noqa: BLE001 - reported as the reason
            raise _Unreadable(
                f"cannot decode as TIFF: tifffile: {tiff_error}; Pillow: "
                f"{type(pil_exc).__name__}: {pil_exc}"
            ) from None
    if axes == "SYX":
        image = np.moveaxis(image, 0, -1)
    elif axes not in ("YX", "YXS"):
        raise _Unreadable(
            f"the first TIFF page is not a 2D image: shape {image.shape}, axes {axes!r}."
        )
    if photometric == 0:  # min-is-white: stored inverted
        if image.dtype == np.bool_:
            image = ~image
        elif image.dtype.kind == "u":
            image = np.iinfo(image.dtype).max - image
    if not image.dtype.isnative:
        image = image.astype(image.dtype.newbyteorder("="))
    return np.ascontiguousarray(image)


def _read_image(path, max_pixels):
    """Read one file (see the module docstring); raise _Unreadable."""
    try:
        f = _open_binary(path)
    except PermissionError as exc:
        raise _Unreadable(f"permission denied ({exc.strerror}).") from None
    except FileNotFoundError:
        reason = "no such file"
        if os.path.islink(path):
            reason = f"broken symbolic link (to {os.readlink(path)!r})"
        raise _Unreadable(reason + ".") from None
    except OSError as exc:
        raise _Unreadable(f"cannot open the file ({exc.strerror or exc}).") from None
    with f:
        try:
            head = f.read(64)
        except OSError as exc:
            raise _Unreadable(f"cannot read the file ({exc.strerror or exc}).") from None
        if not head:
            raise _Unreadable("empty file (0 bytes).")
        fmt = _format_of(head)
        if fmt is None:
            raise _Unreadable(
                f"not a PNG, JPEG, TIFF or BMP file (it starts with {head[:8]!r})."
            )
        try:
            if fmt == "tiff":
                return _read_tiff(f, max_pixels)
            if fmt == "png":
                width, height, depth, ctype, interlace = _png_header(head)
                if depth == 16 and ctype in (2, 4, 6):  # Pillow would keep 8 bits
                    _check_size(width, height, max_pixels)
                    return _read_png(
                        f, width=width, height=height, depth=depth, ctype=ctype,
                        interlace=interlace,
                    )
            return _read_pillow(f, fmt, max_pixels)
        except _Unreadable:
            raise
        except Exception as exc:  # noqa: BLE001 - any decoder failure is a reason
            raise _Unreadable(
                f"cannot decode as {fmt.upper()}: {type(exc).__name__}: {exc}"
            ) from None


# --- colour and size ----------------------------------------------------------------


def _white(dtype):
    """The value of white for ``dtype``: its maximum for integers, else 1."""
    dtype = np.dtype(dtype)
    if dtype.kind in "iu":
        return float(np.iinfo(dtype).max)
    return 1.0


def _cast_back(values, dtype):
    """Float results to ``dtype``: integers rounded to nearest and clipped."""
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return values >= 0.5
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return np.clip(np.rint(values), info.min, info.max).astype(dtype)
    return values.astype(dtype)


def _convert(images, color, *, has_channels, white, dtype):
    """Convert an image or a batch to ``color`` (rules: module docstring).

    ``images`` has its channels last when ``has_channels``; the result has
    ``dtype`` (integer values rounded). "auto" returns ``images`` itself; a
    result may be a view of ``images``.
    """
    if color == "auto":
        return images
    c = images.shape[-1] if has_channels else 1
    if c not in (1, 2, 3, 4):
        raise ValueError(
            f"cannot convert an image with {c} channels to {color!r}: expected "
            "grayscale (1 channel), grayscale with alpha (2), RGB (3) or RGBA (4)."
        )
    if c == 1:
        gray = images[..., 0] if has_channels else images
        return gray if color == "gray" else np.repeat(gray[..., None], 3, axis=-1)
    if c == 3 and color == "rgb":
        return images
    values = images.astype(np.float64)
    if c in (2, 4):  # composite over white
        alpha = np.clip(values[..., -1:] / white, 0.0, 1.0)
        values = values[..., :-1] * alpha + white * (1.0 - alpha)
    if color == "gray":
        out = values[..., 0] if values.shape[-1] == 1 else values @ _GRAY_WEIGHTS
    else:
        out = np.repeat(values, 3, axis=-1) if values.shape[-1] == 1 else values
    return _cast_back(out, dtype)


def _resize(image, output_shape):
    """One image ``(h, w[, c])`` resized (module docstring, "Size")."""
    if image.dtype.kind == "f" and not np.isfinite(image).all():
        raise _Unreadable("non-finite pixel values (NaN or infinity): cannot resize.")
    batch = image[None].astype(float_dtype(image.dtype), copy=False)
    # The core of resize_images for one image (without its validation).
    return _zoom(batch, output_shape, True)[0]


def _load(path, *, max_pixels, color, output_shape):
    """Read, convert and resize one file: ``(image, stored dtype)``."""
    image = _read_image(path, max_pixels)
    stored = image.dtype
    try:
        image = _convert(
            image, color, has_channels=image.ndim == 3, white=_white(stored), dtype=stored
        )
    except ValueError as exc:
        raise _Unreadable(str(exc)) from None
    if output_shape is not None:
        image = _resize(image, output_shape)
    return image, stored


def _load_all(paths, *, max_pixels, color, output_shape, n_jobs):
    """Load every path on ``n_jobs`` threads: images, stored dtypes, reasons.

    Failed entries have image None and a reason; the order is the paths'.
    """
    n = len(paths)
    images, dtypes, reasons = [None] * n, [None] * n, [None] * n

    def task(i):
        try:
            images[i], dtypes[i] = _load(
                paths[i], max_pixels=max_pixels, color=color, output_shape=output_shape
            )
        except _Unreadable as exc:
            reasons[i] = str(exc)

    run_tasks(task, [(i,) for i in range(n)], n_jobs=n_jobs)
    return images, dtypes, reasons


def _common_color(tails):
    """The target of "auto" for images of several channel shapes."""
    counts = {t[0] if t else 1 for t in tails}
    return "rgb" if counts & {3, 4} else "gray"


def _assemble(images, dtypes, *, color, output_shape, name):
    """The output: a list (no output_shape) or one batch, NaN for None entries.

    Resized images of several channel shapes ("auto") are converted to one
    (module docstring, "Colour").
    """
    if output_shape is None:
        return list(images)
    present = [i for i, image in enumerate(images) if image is not None]
    tails = {images[i].shape[2:] for i in present}
    if len(tails) > 1:
        target = _common_color(tails)
        for i in present:
            images[i] = _convert(
                images[i], target, has_channels=images[i].ndim == 3,
                white=_white(dtypes[i]), dtype=images[i].dtype,
            )
        tail = (3,) if target == "rgb" else ()
    elif present:
        tail = images[present[0]].shape[2:]
    else:
        tail = (3,) if color == "rgb" else ()
    whites = {_white(dtypes[i]) for i in present}
    if len(whites) > 1:
        kinds = ", ".join(sorted({str(dtypes[i]) for i in present}))
        warnings.warn(
            f"{name} put images of several dtypes ({kinds}) in one batch: their "
            "values keep their own ranges (white is 255 for uint8, 65535 for "
            "uint16, 1 for floats), so the same brightness has different values. "
            "Scale them to one range if that matters.",
            UserWarning,
            stacklevel=3,
        )
    dtype = np.result_type(*[images[i].dtype for i in present]) if present else np.float32
    out = np.empty((len(images),) + tuple(output_shape) + tail, dtype=dtype)
    for i, image in enumerate(images):
        out[i] = np.nan if image is None else image
    return out


def _list_failures(failures, limit=3):
    shown = "; ".join(f"{p} ({r.rstrip('.')})" for p, r in failures[:limit])
    more = f"; and {len(failures) - limit} more" if len(failures) > limit else ""
    return shown + more


# --- the folder ---------------------------------------------------------------------


def _inside(path, root):
    return os.path.commonpath([path, root]) == root


def _scan(root, *, extensions, follow_symlinks):
    """The class folders and their image files (see load_image_folder).

    Returns ``classes`` (name, folder path, list of file paths, number of
    candidates), ``skipped`` (path, reason) and ``ignored`` paths.
    """
    root_real = os.path.realpath(root)
    skipped, ignored = [], []

    def link_outside(entry):
        """The reason to skip a link out of the root, or None to follow it."""
        if follow_symlinks or not entry.is_symlink():
            return None
        target = os.path.realpath(entry.path)
        if _inside(target, root_real):
            return None
        return (
            f"symbolic link to {target!r}, outside the folder {root!r}: not "
            "followed (pass follow_symlinks=True to follow it)."
        )

    def walk(folder, files, visited):
        """Image files under ``folder``, sorted by name at every level."""
        candidates = 0
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.name.startswith("."):
                ignored.append(entry.path)
                continue
            is_dir = entry.is_dir()
            is_image = not is_dir and entry.name.lower().endswith(extensions)
            reason = link_outside(entry) if (is_dir or is_image) else None
            if reason is not None:
                skipped.append((entry.path, reason))
                candidates += 1
            elif is_dir:
                real = os.path.realpath(entry.path)
                if real in visited:
                    skipped.append(
                        (entry.path, f"symbolic link loop: {real!r} is already being read.")
                    )
                    continue
                candidates += walk(entry.path, files, visited | {real})
            elif is_image:
                files.append(entry.path)
                candidates += 1
            else:
                ignored.append(entry.path)
        return candidates

    classes = []
    loose = 0
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        if entry.name.startswith("."):
            ignored.append(entry.path)
            continue
        if not entry.is_dir():
            ignored.append(entry.path)
            loose += entry.name.lower().endswith(extensions)
            continue
        reason = link_outside(entry)
        if reason is not None:
            skipped.append((entry.path, reason))
            continue
        files = []
        candidates = walk(entry.path, files, {root_real, os.path.realpath(entry.path)})
        classes.append((entry.name, entry.path, files, candidates))
    if not classes:
        hint = f" It holds {loose} image file(s) directly: move them" if loose else " Put images"
        raise ValueError(
            f"load_image_folder expected one subfolder per class in {root!r} "
            f"({root}/<class>/<image>); found no class subfolder.{hint} into one "
            "subfolder per class."
        )
    for _, folder, files, candidates in classes:
        if candidates == 0:
            raise ValueError(
                f"load_image_folder found no image file in the class folder "
                f"{folder!r} (extensions {', '.join(extensions)}, in it or its "
                "subfolders). Remove the folder or put images in it."
            )
    return classes, skipped, ignored


def _extensions(extensions):
    out = []
    for ext in extensions:
        if not isinstance(ext, str) or not ext.strip("."):
            raise ValueError(
                f"extensions must be file extensions such as '.png'; got {ext!r}."
            )
        out.append("." + ext.lower().lstrip("."))
    return tuple(out)


@validate_params(
    {
        "path": [str, os.PathLike],
        "output_shape": ["array-like", None],
        "color": [StrOptions(set(_COLORS))],
        "extensions": [tuple, list],
        "follow_symlinks": ["boolean"],
        "max_pixels": [Interval(Integral, 1, None, closed="left")],
        "on_error": [StrOptions({"report", "raise"})],
        "return_X_y": ["boolean"],
        "n_jobs": [Integral, None],
        "verbose": ["verbose"],
    },
    prefer_skip_nested_validation=True,
)
def load_image_folder(
    path,
    *,
    output_shape=None,
    color="auto",
    extensions=IMAGE_EXTENSIONS,
    follow_symlinks=False,
    max_pixels=MAX_PIXELS,
    on_error="report",
    return_X_y=False,
    n_jobs=None,
    verbose=0,
):
    """Load a folder of images with one subfolder per class.

    The layout of torchvision's ``ImageFolder`` and Keras'
    ``image_dataset_from_directory``::

        path/cat/001.png
        path/cat/002.jpg
        path/dog/a/003.tif

    Classes are the subfolders, sorted by name, labelled ``0 .. k - 1``;
    the images of a class are the files with one of ``extensions`` in its
    folder and its subfolders, sorted by name at every level. Names that
    start with a dot (hidden files and folders) and files of other
    extensions are not read (``ignored``). Reading, colour and resizing
    follow the rules of the module docstring of ``skimgprep.io``.

    Parameters
    ----------
    path : str or path-like
        The folder.
    output_shape : tuple (int, int), default=None
        Resize every image to ``(h, w)`` and return one batch; None: a list
        of images of their own sizes, as stored.
    color : {"auto", "gray", "rgb"}, default="auto"
        "auto": each image as stored (with ``output_shape`` and several
        channel counts, all to "rgb" if any image has colour, else to
        "gray"); "gray": grayscale ``(h, w)``; "rgb": ``(h, w, 3)``, alpha
        composited over white.
    extensions : tuple of str, default=(".bmp", ".jpeg", ".jpg", ".png", \
".tif", ".tiff")
        The files read, by extension (without regard to case). The format
        itself comes from each file's first bytes.
    follow_symlinks : bool, default=False
        Follow symbolic links that lead out of ``path``. Links inside
        ``path`` are always followed (a link loop is reported).
    max_pixels : int, default=178956970
        Files whose header declares more pixels (``width * height``) are
        not decoded (a decompression bomb) and reported.
    on_error : {"report", "raise"}, default="report"
        "report": a file that cannot be read (or a link not followed) is
        listed in ``skipped`` with the reason, and one warning says how
        many; "raise": a ``ValueError`` naming the entry and the reason (a
        link not followed before any file is read, then the first file, in
        the sorted order, that cannot be read).
    return_X_y : bool, default=False
        Return ``(images, target)`` instead of a Bunch.
    n_jobs : int, default=None
        Files read at once, on threads; None means 1 unless in a
        :func:`joblib.parallel_backend` context. The result does not depend
        on it.
    verbose : int or bool, default=0
        Report progress on standard error while the files are read (units:
        files): a tqdm bar when tqdm is installed, else a line at every
        tenth of the work.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        images : ndarray of shape (n, h, w[, c]), or list of n arrays
            The images that were read: a batch with ``output_shape`` (float32;
            float64 for float64 images), else a list in the stored dtypes.
        target : ndarray of shape (n,), int64
            The label of each image, the index of its class in
            ``target_names``.
        target_names : list of str
            The class names (subfolder names), sorted.
        filenames : ndarray of shape (n,), str
            The path of each image (``path`` joined with the file's place in
            it; links not resolved).
        skipped : list of (str, str)
            The files (or linked folders) not loaded, each with the reason.
        ignored : list of str
            Hidden entries, files of other extensions and files directly in
            ``path``: not candidates, not read.
        DESCR : str
            A short description: counts per class, skipped and ignored.
    (images, target) : tuple if ``return_X_y`` is True
        The images and labels.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    NotADirectoryError
        If ``path`` is a file.
    ValueError
        If ``path`` has no class subfolder, a class folder holds no image
        file, ``output_shape`` is not a pair of positive integers, or
        (``on_error="raise"``) a file cannot be read: the message names the
        folder or file and the reason.

    Warns
    -----
    UserWarning
        With ``on_error="report"``, when files were skipped: how many, and
        the first ones; also when one batch mixes dtypes (uint8 and uint16,
        say), whose values keep different ranges.

    See Also
    --------
    ImageReader : The pipeline step that reads files given by path.
    sklearn.datasets.load_files : The same layout, for text files.
    skimgprep.resize_images : The resizing of ``output_shape``.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from PIL import Image
    >>> from skimgprep import load_image_folder
    >>> tmp = tempfile.TemporaryDirectory()
    >>> for name, value in [("cat", 0), ("dog", 255)]:
    ...     os.mkdir(os.path.join(tmp.name, name))
    ...     image = Image.fromarray(np.full((4, 6), value, dtype=np.uint8))
    ...     image.save(os.path.join(tmp.name, name, "a.png"))
    >>> data = load_image_folder(tmp.name)
    >>> data.target_names, data.target.tolist()
    (['cat', 'dog'], [0, 1])
    >>> data.images[1].shape, data.images[1].dtype, data.images[1].max()
    ((4, 6), dtype('uint8'), np.uint8(255))
    >>> X, y = load_image_folder(tmp.name, output_shape=(2, 3), return_X_y=True)
    >>> X.shape, X.dtype
    ((2, 2, 3), dtype('float32'))
    >>> tmp.cleanup()
    """
    root = os.fspath(path)
    if not os.path.exists(root):
        raise FileNotFoundError(f"load_image_folder: no such folder: {root!r}.")
    if not os.path.isdir(root):
        raise NotADirectoryError(
            f"load_image_folder expected a folder with one subfolder per class; "
            f"{root!r} is a file."
        )
    if output_shape is not None:
        output_shape = check_pair(output_shape, "output_shape", what="(h, w)")
    exts = _extensions(extensions)
    classes, skipped, ignored = _scan(root, extensions=exts, follow_symlinks=follow_symlinks)

    files, labels = [], []
    for label, (_, _, class_files, _) in enumerate(classes):
        files.extend(class_files)
        labels.extend([label] * len(class_files))
    if on_error == "raise" and skipped:
        p, reason = min(skipped)
        raise ValueError(f"load_image_folder cannot read {p!r}: {reason}")
    with reporting(len(files), desc="load_image_folder", verbose=verbose, unit="files"):
        images, dtypes, reasons = _load_all(
            files, max_pixels=max_pixels, color=color, output_shape=output_shape,
            n_jobs=n_jobs,
        )
    failed = [(files[i], r) for i, r in enumerate(reasons) if r is not None]
    if on_error == "raise" and failed:
        p, reason = failed[0]
        raise ValueError(f"load_image_folder cannot read {p!r}: {reason}")
    skipped = sorted(skipped + failed)
    keep = [i for i, r in enumerate(reasons) if r is None]
    images = _assemble(
        [images[i] for i in keep], [dtypes[i] for i in keep], color=color,
        output_shape=output_shape, name="load_image_folder",
    )
    target = np.asarray([labels[i] for i in keep], dtype=np.int64)
    filenames = np.asarray([files[i] for i in keep], dtype=str)
    target_names = [name for name, _, _, _ in classes]
    if skipped:
        warnings.warn(
            f"load_image_folder skipped {len(skipped)} file(s) of {root!r} (listed "
            f"with the reasons in the result's 'skipped'): {_list_failures(skipped)}.",
            UserWarning,
            stacklevel=2,
        )
    counts = np.bincount(target, minlength=len(classes))
    descr = (
        f"Images of the folder {root!r}: {len(keep)} images in {len(classes)} "
        "classes ("
        + ", ".join(f"{name}: {count}" for name, count in zip(target_names, counts))
        + f"); {len(skipped)} skipped, {len(ignored)} ignored."
    )
    if return_X_y:
        return images, target
    return Bunch(
        images=images,
        target=target,
        target_names=target_names,
        filenames=filenames,
        skipped=skipped,
        ignored=ignored,
        DESCR=descr,
    )


# --- the pipeline step ----------------------------------------------------------


def _is_path(value):
    return isinstance(value, (str, bytes, os.PathLike))


def _as_paths(X, name):
    """``X`` as a list of path strings, or None when ``X`` is not paths.

    Paths are strings, bytes or path-like objects in a 1D array-like or an
    ``(n, 1)`` column (a list, an array, a Series, a one-column DataFrame).
    Numeric input gives None (images); a mix of paths and other values
    raises.
    """
    if _is_path(X):
        raise ValueError(
            f"{name} expected a 1D array-like of paths (or an (n, 1) column of "
            f"them); got one path, {X!r}: pass [{X!r}]."
        )
    if sp.issparse(X):
        return None
    if isinstance(X, (list, tuple)):
        if len(X) == 0:
            raise ValueError(f"{name} expected paths or images; got an empty {type(X).__name__}.")
        first = X[0]
        if not (
            _is_path(first)
            or (isinstance(first, (list, tuple)) and len(first) == 1 and _is_path(first[0]))
        ):
            return None
        arr = np.empty(len(X), dtype=object)
        arr[:] = [x[0] if isinstance(x, (list, tuple)) and len(x) == 1 else x for x in X]
    else:
        dtypes = getattr(X, "dtypes", None)
        if dtypes is not None and hasattr(X, "columns"):  # a DataFrame
            if any(getattr(d, "kind", "O") not in "OUS" for d in dtypes):
                return None
        elif getattr(getattr(X, "dtype", None), "kind", "O") not in "OUS":
            return None
        arr = np.asarray(X)
        if arr.dtype.kind not in "OUS":
            return None
        arr = arr.astype(object)
    flat = arr.ravel()
    is_path = [_is_path(v) for v in flat]
    if not any(is_path):
        return None
    if not all(is_path):
        i = is_path.index(False)
        raise ValueError(
            f"{name} expected either paths or numeric images; X mixes paths with "
            f"a {type(flat[i]).__name__} value ({flat[i]!r})."
        )
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(
            f"{name} expected a 1D array-like of paths or an (n, 1) column of "
            f"them; got paths in an array of shape {arr.shape}."
        )
    if len(arr) == 0:
        raise ValueError(f"{name} expected at least one path; got none.")
    return [os.fsdecode(p) if isinstance(p, bytes) else os.fspath(p) for p in arr]


class ImageReader(ImageMixin, TransformerMixin, BaseEstimator):
    """Read image files given by path: the first step of a pipeline on files.

    ``transform`` takes a 1D array-like of paths (or an ``(n, 1)`` column,
    as a DataFrame column gives) and returns the images, read, converted and
    resized by the rules of the module docstring of ``skimgprep.io``: one
    batch ``(n, h, w[, c])`` with ``output_shape``, else a list of arrays of
    their own sizes, as stored. Row ``i`` of the output is the file of
    path ``i``: rows stay aligned with ``y``.

    Numeric input is taken as images already loaded (a batch, flattened rows
    with ``image_shape``, or a list of arrays) and goes through the same
    colour and resize handling, in the input's layout (flattened rows give
    flattened rows); so one pipeline runs on paths and on arrays alike, and
    the two give the same numbers.

    The step is stateless: ``fit`` reads no file and learns nothing. On
    numeric input it records ``n_features_in_`` and ``image_shape_`` as every
    step does; ``transform`` then takes images of any size but flattened
    rows of the length seen in fit.

    Parameters
    ----------
    output_shape : tuple (int, int), default=None
        Resize every image to ``(h, w)`` (skimage.transform.resize, bilinear,
        anti-aliased when downsizing) and return one batch; None: images of
        their own sizes (a list for paths).
    color : {"auto", "gray", "rgb"}, default="auto"
        "auto": as stored (with ``output_shape`` and several channel counts,
        all to "rgb" if any image has colour, else to "gray"); "gray":
        grayscale; "rgb": three channels, alpha composited over white.
    max_pixels : int, default=178956970
        A file whose header declares more pixels is not decoded (a
        decompression bomb).
    on_error : {"raise", "fill"}, default="raise"
        A file that cannot be read: "raise" raises a ``ValueError`` that
        names it and says why; "fill" keeps its row (a transformer cannot
        drop rows, which must stay aligned with ``y``): NaN pixels in the
        batch (``output_shape`` given) or None in the list, and one warning
        names the files. The NaN rows then stop any later step that checks
        its input, unless removed (``np.isnan(X).any(axis=(1, 2))``).
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten numeric 2D input; None: each
        row is an image of shape ``(1, d)``. Not used for paths.
    n_jobs : int, default=None
        Files read at once, on threads; None means 1 unless in a
        :func:`joblib.parallel_backend` context. The output does not depend
        on it.
    verbose : int or bool, default=0
        Report progress on standard error in ``transform`` (units: files
        for paths, images for images): a tqdm bar when tqdm is installed,
        else a line at every tenth of the work.

    Attributes
    ----------
    n_features_in_ : int
        Pixel values per image seen in fit on numeric input (not set for
        paths or images of several sizes).
    image_shape_ : tuple of int or None
        The image shape seen in fit on numeric input; None for paths.
    feature_names_in_ : ndarray of str
        Column names of a numeric DataFrame seen in fit.

    See Also
    --------
    load_image_folder : Images and labels from a folder of class subfolders.
    Resizer : The resizing alone, for images already loaded.
    ColorConverter : Colour spaces beyond gray and RGB.

    Notes
    -----
    The value range is kept: uint8 files give values in ``[0, 255]``, 16-bit
    files in ``[0, 65535]`` (uint16, or float32 once resized). Put a
    :class:`PixelScaler` after the reader to scale them.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from PIL import Image
    >>> from skimgprep import ImageReader
    >>> tmp = tempfile.TemporaryDirectory()
    >>> paths = [os.path.join(tmp.name, f"{i}.png") for i in range(2)]
    >>> Image.fromarray(np.zeros((4, 4, 3), dtype=np.uint8)).save(paths[0])
    >>> Image.fromarray(np.full((8, 6), 200, dtype=np.uint8)).save(paths[1])
    >>> [image.shape for image in ImageReader().fit_transform(paths)]
    [(4, 4, 3), (8, 6)]
    >>> reader = ImageReader(output_shape=(4, 4), color="gray")
    >>> X = reader.fit_transform(paths)
    >>> X.shape, X.dtype, X[1, 0, 0]
    ((2, 4, 4), dtype('float32'), np.float32(200.0))
    >>> reader.transform(np.full((1, 8, 6, 3), 200, dtype=np.uint8))[0, 0, 0]
    np.float32(200.0)
    >>> tmp.cleanup()
    """

    _any_image_size = True

    _parameter_constraints = {
        "output_shape": ["array-like", None],
        "color": [StrOptions(set(_COLORS))],
        "max_pixels": [Interval(Integral, 1, None, closed="left")],
        "on_error": [StrOptions({"raise", "fill"})],
        "image_shape": [tuple, None],
        "n_jobs": [Integral, None],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        output_shape=None,
        color="auto",
        max_pixels=MAX_PIXELS,
        on_error="raise",
        image_shape=None,
        n_jobs=None,
        verbose=0,
    ):
        self.output_shape = output_shape
        self.color = color
        self.max_pixels = max_pixels
        self.on_error = on_error
        self.image_shape = image_shape
        self.n_jobs = n_jobs
        self.verbose = verbose

    def _output_shape(self):
        if self.output_shape is None:
            return None
        return check_pair(self.output_shape, "output_shape", what="(h, w)")

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the input; no file is read, nothing is learned.

        Parameters
        ----------
        X : array-like of shape (n,) or (n, 1) of paths, or images
            Paths (str or path-like), or numeric images: an array of shape
            (n, h, w[, c]) or (n, d), or a list of arrays.
        y : None
            Ignored.

        Returns
        -------
        self : ImageReader
            The fitted step.

        Raises
        ------
        ValueError
            If ``output_shape`` is not a pair of positive integers, or ``X``
            is neither paths nor images.
        """
        self._output_shape()
        name = type(self).__name__
        if _as_paths(X, name) is not None:
            for attribute in ("n_features_in_", "feature_names_in_"):
                if hasattr(self, attribute):
                    delattr(self, attribute)
            self.image_shape_ = None
        else:
            self._check_image_list(X, reset=True, cast=None)
        return self

    def transform(self, X):
        """Read the files (or take the images) and convert and resize them.

        Parameters
        ----------
        X : array-like of shape (n,) or (n, 1) of paths, or images
            Paths, or numeric images (any size; flattened rows of the length
            seen in fit).

        Returns
        -------
        X_images : ndarray of shape (n, h, w[, c]) or list of n arrays
            For paths: a batch with ``output_shape`` (float32, float64 for
            float64 files), else a list in the stored dtypes. For images:
            the layout of ``X`` (flattened rows for flattened rows), the
            dtype kept unless resized.

        Raises
        ------
        ValueError
            With ``on_error="raise"``, if a file cannot be read (the message
            names the file and the reason); if images have another channel
            count than seen in fit, or flattened rows another length.
        """
        check_is_fitted(self)
        name = type(self).__name__
        output_shape = self._output_shape()
        paths = _as_paths(X, name)
        if paths is None:
            return self._transform_images(X, output_shape)
        with reporting(
            len(paths), desc=f"{name}.transform", verbose=self.verbose, unit="files"
        ):
            images, dtypes, reasons = _load_all(
                paths, max_pixels=self.max_pixels, color=self.color,
                output_shape=output_shape, n_jobs=self.n_jobs,
            )
        failed = [(paths[i], r) for i, r in enumerate(reasons) if r is not None]
        if failed and self.on_error == "raise":
            p, reason = failed[0]
            more = f" ({len(failed) - 1} more file(s) cannot be read)" if len(failed) > 1 else ""
            raise ValueError(f"{name} cannot read {p!r}: {reason}{more}")
        if failed:
            filler = "NaN images" if output_shape is not None else "None"
            warnings.warn(
                f"{name} could not read {len(failed)} of {len(paths)} files; their "
                f"rows hold {filler}: {_list_failures(failed)}.",
                UserWarning,
                stacklevel=2,
            )
        return _assemble(
            images, dtypes, color=self.color, output_shape=output_shape, name=name
        )

    def _transform_images(self, X, output_shape):
        images, layout = self._check_image_list(X, reset=False, cast=None)
        with reporting(
            len(images), desc=f"{type(self).__name__}.transform", verbose=self.verbose
        ):
            return self._convert_images(images, layout, output_shape)

    def _convert_images(self, images, layout, output_shape):
        if layout.is_list:
            out, dtypes = [], []
            for image in images:
                converted = _convert(
                    image, self.color, has_channels=image.ndim == 3,
                    white=_white(image.dtype), dtype=image.dtype,
                )
                if output_shape is not None:
                    converted = _resize(converted, output_shape)
                elif np.may_share_memory(converted, image):
                    converted = converted.copy()
                out.append(converted)
                dtypes.append(image.dtype)
                advance(1)
            return _assemble(
                out, dtypes, color=self.color, output_shape=output_shape,
                name=type(self).__name__,
            )
        out = _convert(
            images, self.color, has_channels=images.ndim == 4,
            white=_white(images.dtype), dtype=images.dtype,
        )
        if output_shape is not None:
            # Its chunks advance the progress counter.
            out = resize_images(out, output_shape, n_jobs=self.n_jobs)
        else:
            if np.may_share_memory(out, images):
                out = out.copy()
            advance(len(out))
        return layout.restore(out)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
