"""The JSON API of `serve` against a real ganache: the same objects as the CLI's `--json`, the
statuses that fit, bounded uploads, and images served only as verified raster pictures."""

from __future__ import annotations

import io
import json
import socket
import time

import requests
from PIL import Image

from nft_toolkit.caip19 import AssetId, format_verification_url
from nft_toolkit.chain.local import free_port
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.web.app import BODY_MAX, CSP
from nft_toolkit.web.outage import CHAIN_DOWN
from nft_toolkit.web.service import Options
from tests.support.cli import CUSTOMER, Cli, cli_env
from tests.support.collection import tiny_png
from tests.support.web import (AUTHENTIC, HOSTILE, HOSTILE_NAME, NOT_MINTED, TAMPERED,
                               LiveServer, WebCollection)


def get(site: LiveServer, path: str, **kw) -> requests.Response:
    return requests.get(site.url + path, timeout=60, **kw)


def test_token_answer_is_the_clis_verify_json(site: LiveServer, web_items: WebCollection) -> None:
    out = Cli(web_items.project.root, cli_env())("verify", str(AUTHENTIC), "--json")
    assert out.returncode == 0, out.stderr
    answer = get(site, f"/api/v1/tokens/{AUTHENTIC}")
    assert answer.status_code == 200
    assert answer.json() == json.loads(out.stdout)
    assert answer.json()["owner"] == CUSTOMER
    assert answer.headers["content-security-policy"] == CSP
    assert answer.headers["x-content-type-options"] == "nosniff"
    again = get(site, f"/api/v1/tokens/{AUTHENTIC}")  # warm: from the caches, the same answer
    assert again.json() == answer.json()


def test_verdicts_and_statuses(site: LiveServer, lookalike_site: LiveServer) -> None:
    tampered = get(site, f"/api/v1/tokens/{TAMPERED}")
    assert (tampered.status_code, tampered.json()["verdict"]) == (200, "tampered")
    assert tampered.json()["checks"][-1]["name"] == "metadata"
    missing = get(site, f"/api/v1/tokens/{NOT_MINTED}")
    assert (missing.status_code, missing.json()["verdict"]) == (404, "not_minted")
    beyond = get(site, "/api/v1/tokens/99")
    assert (beyond.status_code, beyond.json()["verdict"]) == (404, "not_minted")
    fake = get(lookalike_site, f"/api/v1/tokens/{AUTHENTIC}")
    assert (fake.status_code, fake.json()["verdict"]) == (200, "counterfeit")
    for bad in ("x", "-1", "1e3", "%EF%BC%8D1"):  # the last: full-width minus one (NFKC: -1)
        answer = get(site, f"/api/v1/tokens/{bad}")
        assert answer.status_code == 400 and "is not a token ID" in answer.json()["error"]


def test_hostile_name_is_data_in_json(site: LiveServer) -> None:
    answer = get(site, f"/api/v1/tokens/{HOSTILE}")
    assert answer.json()["verdict"] == "authentic"  # committed like any name: only shown escaped
    page = get(site, f"/token/{HOSTILE}")
    assert HOSTILE_NAME not in page.text and "&lt;script&gt;" in page.text
    assert "<script>window" not in page.text


def test_verify_file_is_the_clis_verify_file_json(site: LiveServer, web_items: WebCollection) -> None:
    picture = web_items.project.images_dir / f"{AUTHENTIC}.png"
    out = Cli(web_items.project.root, cli_env())("verify-file", str(picture), "--json")
    answer = requests.post(site.url + "/api/v1/verify-file", timeout=60,
                           files={"file": (str(picture), picture.read_bytes(), "image/png")})
    assert answer.status_code == 200
    assert answer.json() == json.loads(out.stdout)
    assert answer.json()["token_id"] == AUTHENTIC
    stranger = requests.post(site.url + "/api/v1/verify-file", timeout=60,
                             files={"file": ("x.png", tiny_png(77), "image/png")})
    assert (stranger.status_code, stranger.json()["verdict"]) == (404, "not_an_item")


def test_uploads_are_bounded(site: LiveServer) -> None:
    url = site.url + "/api/v1/verify-file"
    huge = requests.post(url, timeout=60, files={"file": ("big.png", b"\0" * (BODY_MAX + 1))})
    assert huge.status_code == 413

    def chunked():  # no Content-Length: the bound counts what arrives
        yield b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n'
        for _ in range(BODY_MAX >> 20):
            yield b"\0" * (1 << 20)
        yield b"\0\r\n--x--\r\n"
    streamed = requests.post(url, data=chunked(), timeout=60,
                             headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert streamed.status_code == 413 and "over 16 MiB" in streamed.json()["error"]
    text = requests.post(url, timeout=60, files={"file": ("a.png", b"<svg onload=alert(1)>")})
    assert text.status_code == 400 and "not a picture (PNG" in text.json()["error"]
    bomb = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(bomb, format="PNG")  # 400 M pixels in a few KB
    answer = requests.post(url, timeout=60, files={"file": ("bomb.png", bomb.getvalue())})
    assert answer.status_code == 400 and "pixels" in answer.json()["error"]
    none = requests.post(url, timeout=60, data={"x": "1"})
    assert none.status_code == 400 and "`file`" in none.json()["error"]


def test_images_are_verified_raster_pictures_only(site: LiveServer, web_items: WebCollection) -> None:
    manifest = Manifest.load(web_items.project.manifest_path)
    image = get(site, f"/image/{manifest.tokens[AUTHENTIC].image_cid}")
    assert image.status_code == 200 and image.content == tiny_png(AUTHENTIC)
    assert image.headers["content-type"] == "image/png"
    assert image.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in image.headers["content-security-policy"]
    metadata = get(site, f"/image/{manifest.tokens[AUTHENTIC].metadata_cid}")  # JSON, not a picture
    assert metadata.status_code == 415
    altered = get(site, f"/image/{manifest.tokens[TAMPERED].metadata_cid}")  # bytes off their CID
    assert altered.status_code == 404 and "does not match its CID" in altered.json()["error"]


def test_verification_url_page(site: LiveServer, web_items: WebCollection) -> None:
    """/v/<CAIP-19 asset ID>?issuer=…, the URL a certificate's QR code holds, verifies the
    token it names, trusting the issuer it names; what the service cannot answer is an error."""
    record = web_items.record
    asset = AssetId(record.chain_id, record.address, AUTHENTIC)
    url = format_verification_url(site.url, asset, record.issuer)
    page = requests.get(url, timeout=60)
    assert page.status_code == 200 and 'data-verdict="authentic"' in page.text
    assert str(asset) in page.text
    stranger = format_verification_url(site.url, asset, CUSTOMER)  # not the issuer
    assert 'data-verdict="counterfeit"' in requests.get(stranger, timeout=60).text
    lookalike = format_verification_url(site.url, AssetId(record.chain_id, web_items.lookalike,
                                                          AUTHENTIC), record.issuer)
    assert 'data-verdict="counterfeit"' in requests.get(lookalike, timeout=60).text
    other_chain = format_verification_url(site.url, AssetId(5, record.address, 1), record.issuer)
    answer = requests.get(other_chain, timeout=60)  # not this service's chain: not its collection
    assert answer.status_code == 200 and 'data-verdict="counterfeit"' in answer.text
    assert get(site, f"/v/{asset}").status_code == 400  # no issuer: no trust anchor
    assert get(site, f"/v/eip155:1337/erc721:0xabc/1?issuer={record.issuer}").status_code == 400


def test_an_unreachable_chain_is_502_json_and_page(web_items: WebCollection) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    with LiveServer(Options(project_dir=str(web_items.project.root), network="development",
                            rpc_url=dead, chain_id=1337)) as down:
        answer = get(down, f"/api/v1/tokens/{AUTHENTIC}")
        assert answer.status_code == 502 and answer.json()["verdict"] == "unverifiable"
        assert answer.json()["checks"][-1]["detail"] == CHAIN_DOWN  # the cause: in the log
        assert dead not in answer.text
        page = get(down, f"/token/{AUTHENTIC}")
        assert page.status_code == 502 and 'data-verdict="unverifiable"' in page.text


def test_serve_command(web_items: WebCollection) -> None:
    """`nft-toolkit serve` as a user runs it: a mistake is one line (exit 2) before anything
    listens; with --workers 2 the pages answer from worker processes."""
    cli = Cli(web_items.project.root, cli_env())
    out = Cli(web_items.project.root.parent, cli_env())("serve")
    assert out.returncode == 2 and out.stderr.startswith("error: outside a collection project")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        out = cli("serve", "--port", str(busy.getsockname()[1]))
        assert out.returncode == 2 and "cannot listen on" in out.stderr
        assert len(out.stderr.strip().splitlines()) == 1
    port = free_port()
    proc = cli.popen("serve", "--port", str(port), "--workers", "2")
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/api/v1/tokens/{AUTHENTIC}",
                                      timeout=30)
                break
            except requests.ConnectionError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr
                time.sleep(0.2)
        assert answer.status_code == 200 and answer.json()["verdict"] == "authentic"
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
