"""The registry of commands: name, where the command object lives, and its one-line help.

The root group imports a command's module only when that command runs (or its own ``--help`` is
asked for), so ``nft-toolkit --help``, ``--version`` and the light commands (``cid``, ``init``,
``generate``) never import web3. The one-line help is declared here for the same reason;
``tests/cli/test_startup.py`` holds it equal to the first sentence of each command's docstring.
"""

from __future__ import annotations

# name -> ("module:attribute", first sentence of the command's help)
COMMANDS: dict[str, tuple[str, str]] = {
    "audit": ("nft_toolkit.cli.audit:audit_command",
              "Verify every minted token with batched calls; exit 0 when all are authentic."),
    "chain": ("nft_toolkit.cli.chain:chain_group",
              "The local development chain (ganache), its state kept in the project."),
    "certificate": ("nft_toolkit.cli.certificate:certificate_command",
                    "Write the certificate of an authentic token: image, edition, mint and a QR "
                    "code to verify it."),
    "check": ("nft_toolkit.cli.check:check_command",
              "Check the build, the pin manifest, the deployments and (with --to/--airdrop) a "
              "mint against the issuer's rules, and print what deploy and mint would do."),
    "cid": ("nft_toolkit.cli.cid:cid_command",
            "Print the CID Kubo's `ipfs add -r` gives PATH, computed locally (nothing is "
            "stored)."),
    "demo": ("nft_toolkit.cli.demo:demo_command",
             "Generate, pin, deploy, mint and verify a zodiac collection on a throwaway chain; "
             "catch a tampered metadata copy and a look-alike contract."),
    "deploy": ("nft_toolkit.cli.deploy:deploy_command",
               "Deploy the collection contract, set its base URI and provenance hash from the "
               "pin manifest, freeze the metadata if collection.yaml asks, and write "
               "deployments/<network>.json."),
    "gateway": ("nft_toolkit.cli.gateway:gateway_command",
                "Serve /ipfs/<cid>/<path> from the local store: raw blocks, CAR, and files for "
                "browsers."),
    "generate": ("nft_toolkit.cli.generate:generate_command",
                 "Write build/images/<id>.png, build/metadata/<id>.json, rarity report and "
                 "preview."),
    "import-hashlips": ("nft_toolkit.cli.import_hashlips:import_hashlips_command",
                        "Write collection.yaml from HashLips' src/config.js and its layers "
                        "folder."),
    "init": ("nft_toolkit.cli.init:init_command",
             "Write DIR/collection.yaml: a zodiac-year collection (built-in art) or your "
             "layers'."),
    "mint": ("nft_toolkit.cli.mint:mint_command",
             "Mint tokens of the deployed collection, in batches, with a journal: a run stopped "
             "at any point and run again mints every planned token exactly once."),
    "pin": ("nft_toolkit.cli.pin:pin_command",
            "Compute the collection's CIDs, write the manifest and CAR, and pin images and "
            "metadata."),
    "prove": ("nft_toolkit.cli.prove:prove_command",
              "The holder signs a verification challenge with its key, proving it holds token "
              "TOKEN_ID now."),
    "publish-identity": ("nft_toolkit.cli.identity:publish_identity_command",
                         "Write the issuer's statement binding its collections to its web domain, "
                         "signed by the issuer key (EIP-191), to serve at "
                         "https://DOMAIN/.well-known/nft-issuer.json."),
    "serve": ("nft_toolkit.cli.serve:serve_command",
              "Serve the verification pages and JSON API for the collection, until Ctrl-C."),
    "verify": ("nft_toolkit.cli.verify:verify_command",
               "Is token TOKEN authentic? Checks the whole chain of trust from the "
               "issuer's address."),
    "verify-file": ("nft_toolkit.cli.verify:verify_file_command",
                    "Is this picture an authentic item of the collection, and which token is it?"),
}

# name -> what the line printed on Ctrl-C adds: what a stopped run left, and how to go on.
# A command not named here prints "interrupted" alone (it has nothing to resume).
INTERRUPTED: dict[str, str] = {
    "audit": "the last complete report is kept; run audit again for a new one",
    "deploy": "run the same command again: deploy resumes from its journal",
    "mint": "run the same command again: mint resumes from its journal and mints no token twice",
    "pin": "run the same command again: pin skips what is already pinned",
}
