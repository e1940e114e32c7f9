"""`verify-file` and the page share one pixel limit (64 megapixels): a 48 MP phone photo is
checked (here: the chain is closed, so unverifiable, exit 3, not refused), a 72 MP picture is a
usage error (exit 2) with one line that says the limit."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from nft_toolkit.copies.picture import PIXELS_MAX
from tests.support.cli import Cli
from tests.support.pictures import png_header

CONTRACT = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
ISSUER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
CLOSED = "http://127.0.0.1:9"


def test_a_phone_photo_is_checked_and_a_larger_picture_refused(tmp_path: Path) -> None:
    photo = tmp_path / "IMG_0001.jpg"
    Image.linear_gradient("L").resize((8160, 6144)).convert("RGB").save(photo, format="JPEG")
    huge = tmp_path / "huge.png"
    huge.write_bytes(png_header(9000, 8000))
    cli = Cli(tmp_path)
    trust = ["--contract", CONTRACT, "--issuer", ISSUER, "--chain-id", "1337", "--rpc-url", CLOSED,
             "--gateway", CLOSED]
    out = cli("verify-file", str(photo), *trust, timeout=120)
    assert out.returncode == 3, out.stderr[-500:]
    out = cli("verify-file", str(huge), *trust, timeout=120)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert f"over the {PIXELS_MAX // 1_000_000} megapixels" in out.stderr.strip().splitlines()[-1]
