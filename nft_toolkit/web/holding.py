"""Proof of holding on the service (:mod:`nft_toolkit.holding`): a fresh EIP-4361 challenge for
a token, and the answer to its signature.

``GET /api/v1/tokens/{id}/challenge[?address=0x…]`` answers ``{"message", "address", "asset",
"expires_at"}``: the message for the address (default: the token's owner now) to sign; for a token
nobody holds, 404 ``{"held": false, "reason": "not_minted", "error"}`` (502/504 ``unreachable``,
503 ``unavailable``, as the proof's). ``POST
/api/v1/tokens/{id}/proof`` with ``{"message", "signature"}`` answers ``{"held": true, "holder",
"block", "asset"}``, or ``{"held": false, "reason", "error"}`` with the status of the refusal
(400 malformed or another domain, chain or token; 403 a challenge not issued here, another
signer, not the holder; 409 replayed or moved; 410 expired; 404 no such token; 502/504 the chain).

The EIP-4361 domain is the host the request came to (``Host``), the URI the token's page on it.
The challenger (secret and one-use record of nonces, shared by the workers through the
environment that ``serve`` prepares, and by instances on several hosts through ``serve
--replay-store redis://…``) is made once per process, at first use.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import threading
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from nft_toolkit.address import ZERO_ADDRESS, parse_address
from nft_toolkit.caip19 import AssetId
from nft_toolkit.errors import ChainError, ConfigError, InputError
from nft_toolkit.holding import (CHALLENGE_SECONDS, MESSAGE_MAX, SECRET_ENV, Challenger,
                                 LedgerError, ProofRefused, challenger_from_env, owner_at)
from nft_toolkit.web.outage import chain_unreadable
from nft_toolkit.web.render import (TimedOut, bounded, error_json, service, timed_out_message,
                                    token_id_of)
from nft_toolkit.web.service import Service

_LOCK = threading.Lock()
NO_STORE = {"Cache-Control": "no-store"}
PROOF_BODY_MAX = 2 * MESSAGE_MAX + 1024  # the JSON of a message and a signature


def default_store(svc: Service) -> Path:
    """Where the workers of one host keep spent nonces: the project's state folder, else the
    temporary folder."""
    project = svc.setup.project
    base = project.state_dir if project is not None else Path(tempfile.gettempdir())
    return base / "proofs.sqlite"


def challenger(request: Request) -> Challenger:
    """This process's Challenger, made at first use. Without ``$NFT_TOOLKIT_PROOF_SECRET``
    (``serve`` sets one for its workers) a single process makes its own."""
    state = request.app.state
    with _LOCK:
        found: Challenger | None = getattr(state, "challenger", None)
        if found is None:
            env = dict(os.environ)
            env.setdefault(SECRET_ENV, secrets.token_hex(32))
            found = state.challenger = challenger_from_env(default_store(service(request)), env)
    return found


def _asset(svc: Service, token_id: int) -> AssetId:
    chain_id = svc.trust.chain_id
    assert chain_id is not None  # setup requires the collection's chain
    return AssetId(chain_id, parse_address(svc.trust.contract), token_id)


def _refused(reason: str, message: str, status: int) -> JSONResponse:
    return JSONResponse({"held": False, "reason": reason, "error": message}, status_code=status,
                        headers=NO_STORE)


async def challenge(request: Request) -> Response:
    """GET /api/v1/tokens/{id}/challenge."""
    try:
        token_id = token_id_of(request.path_params["id"])
        wanted = request.query_params.get("address")
        address = parse_address(wanted, "address") if wanted else None
    except InputError as exc:
        return error_json(str(exc), 400)
    svc = service(request)
    asset = _asset(svc, token_id)
    try:
        owner, block = await bounded(lambda: owner_at(svc.chain(), svc.trust.contract, token_id))
    except TimedOut:  # reason codes as the proof's, for the page to word in its language
        return _refused("unreachable", timed_out_message(), 504)
    except ChainError as exc:
        return _refused("unreachable", chain_unreadable(token_id, exc), 502)
    if owner == ZERO_ADDRESS:  # a refusal like the proof's: `prove` exits 1 (not minted)
        return _refused("not_minted", f"token {token_id} does not exist (never minted, burned, "
                        "or beyond the cap): nobody holds it", 404)
    signer = address or owner
    host = request.url.netloc
    try:
        checker = challenger(request)
    except (LedgerError, ConfigError) as exc:  # serve checks both at start-up
        return _refused("unavailable", str(exc), 503)
    message = checker.challenge(
        host, f"{request.url.scheme}://{host}/token/{token_id}", asset, signer,
        block if signer == owner else None)
    return JSONResponse({"message": message, "address": signer, "asset": str(asset),
                         "expires_in": CHALLENGE_SECONDS}, headers=NO_STORE)


async def proof(request: Request) -> Response:
    """POST /api/v1/tokens/{id}/proof."""
    try:
        token_id = token_id_of(request.path_params["id"])
    except InputError as exc:
        return _refused("malformed", str(exc), 400)
    body = await request.body()
    if len(body) > PROOF_BODY_MAX:
        return _refused("malformed", f"the proof is over {PROOF_BODY_MAX} bytes", 413)
    try:
        doc: Any = json.loads(body)
    except (ValueError, RecursionError):
        doc = None
    if not isinstance(doc, dict) or not isinstance(doc.get("message"), str) \
            or not isinstance(doc.get("signature"), str):
        return _refused("malformed", 'send JSON {"message": "<the challenge>", "signature": '
                        '"0x…"}', 400)
    svc = service(request)
    asset = _asset(svc, token_id)
    try:
        checker = challenger(request)
    except (LedgerError, ConfigError) as exc:
        return _refused("unavailable", str(exc), 503)
    try:
        held = await bounded(lambda: checker.check(
            doc["message"], doc["signature"], request.url.netloc, asset,
            lambda: owner_at(svc.chain(), svc.trust.contract, token_id)))
    except ProofRefused as exc:
        return _refused(exc.reason, str(exc), exc.status)
    except TimedOut:
        return _refused("unreachable", timed_out_message(), 504)
    except LedgerError as exc:
        return _refused("unavailable", str(exc), 503)
    except ChainError as exc:
        return _refused("unreachable", chain_unreadable(token_id, exc), 502)
    return JSONResponse({**held.as_json(), "answer": f"held by the signer now (block "
                         f"{held.block})"}, headers=NO_STORE)


ROUTES = [Route("/api/v1/tokens/{id}/challenge", challenge, methods=["GET"]),
          Route("/api/v1/tokens/{id}/proof", proof, methods=["POST"])]
