"""scripts/vendor.py / `make vendor`: a renamed copy that works on its own, a stamp, and hand edits protected."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import realtimekit_client

from scripts.dev import vendor
from tests.stand_in.ids import IDS, TOKEN
from tests.stand_in.server import LocalServer

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated" / "realtimekit_client"
NAME = "rtk_vendored"


def make_vendor(dest: Path, name: str | None = NAME, force: bool = False) -> subprocess.CompletedProcess[str]:
    """`make vendor` exactly as the README tells users to run it."""
    argv = ["make", "--no-print-directory", "-C", str(ROOT), "vendor", f"DEST={dest}"]
    argv += [f"NAME={name}"] if name else []
    argv += ["FORCE=1"] if force else []
    return subprocess.run(argv, capture_output=True, text=True, timeout=60)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_generated_code_has_no_absolute_self_imports() -> None:
    """Renaming relies on relative imports; vendor.py would rewrite absolute ones, but there should be none."""
    offenders = [
        path.relative_to(GENERATED).as_posix()
        for path in GENERATED.rglob("*.py")
        if vendor.rename_imports(path.read_text(encoding="utf-8"), "other") != path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_rename_imports_rewrites_only_import_statements() -> None:
    source = textwrap.dedent(
        """\
        import realtimekit_client
        import realtimekit_client.models as m
        from realtimekit_client.errors import RealtimeKitError
            from realtimekit_client import client
        import realtimekit_client_extras
        text = "raised by realtimekit_client"
        """
    )
    assert vendor.rename_imports(source, "rtk") == textwrap.dedent(
        """\
        import rtk
        import rtk.models as m
        from rtk.errors import RealtimeKitError
            from rtk import client
        import realtimekit_client_extras
        text = "raised by realtimekit_client"
        """
    )


def test_vendored_copy_imports_under_its_new_name_and_calls_the_server(tmp_path: Path, server: LocalServer) -> None:
    dest = tmp_path / "service" / "vendor"
    result = make_vendor(dest)
    assert result.returncode == 0, result.stderr
    copy = dest / NAME
    assert (copy / "py.typed").is_file() and (copy / "provenance.json").is_file()
    assert not list(copy.rglob("__pycache__"))

    # The stamp: spec sha256, SDK version, and the checksum of every copied file.
    stamp = json.loads((copy / "VENDORED.json").read_text(encoding="utf-8"))
    provenance = json.loads((GENERATED / "provenance.json").read_text(encoding="utf-8"))
    assert stamp["spec_sha256"] == provenance["spec_sha256"]
    assert stamp["sdk_version"] == realtimekit_client.__version__
    assert stamp["import_name"] == NAME
    copied = {k: v for k, v in snapshot(copy).items() if k != "VENDORED.json"}
    assert stamp["files"] == {name: hashlib.sha256(data).hexdigest() for name, data in copied.items()}
    assert set(copied) == {p.relative_to(GENERATED).as_posix() for p in GENERATED.rglob("*") if p.is_file()} - {
        p.relative_to(GENERATED).as_posix() for p in GENERATED.rglob("*") if "__pycache__" in p.parts
    }

    # Import it from there, with the original package made unimportable, and make a call.
    program = textwrap.dedent(
        f"""\
        import sys
        sys.modules["realtimekit_client"] = None  # the copy must not lean on the original
        sys.path.insert(0, {str(dest)!r})
        from {NAME} import AuthenticatedClient
        from {NAME}.api.sessions import get_participant_details
        import {NAME}.models
        client = AuthenticatedClient(base_url={server.base_url!r}, token={TOKEN!r})
        import logging
        seen = []
        handler = logging.Handler()
        handler.emit = lambda record: seen.append(record.name)
        logging.getLogger({NAME!r}).addHandler(handler)
        logging.getLogger({NAME!r}).setLevel("DEBUG")
        response = get_participant_details.sync(*{IDS!r}, client=client)
        assert isinstance(response, {NAME}.models.ParticipantDetailsResponse), response
        assert seen and set(seen) == {{{NAME!r}}}, seen  # the copy logs under its own name
        print(response.data.participant.display_name + "|" + {NAME}.__file__)
        """
    )
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    name, module_file = run.stdout.strip().split("|")
    assert name == "Priya Raman"
    assert module_file.startswith(str(copy))
    assert server.last_request.valid

    # The command comes with the copy: python -m <its name>.
    env = {**os.environ, "PYTHONPATH": str(dest), "CLOUDFLARE_API_TOKEN": TOKEN}
    ids = ["--account-id", IDS[0], "--app-id", IDS[1], "--session-id", IDS[2], "--participant-id", IDS[3]]
    command = [sys.executable, "-m", NAME, "participant", *ids, "--base-url", server.base_url, "--format", "jsonl"]
    shown = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=tmp_path, env=env)
    assert shown.returncode == 0, shown.stderr
    assert len(shown.stdout.splitlines()) == 12 and '"kind": "audio"' in shown.stdout


def test_rerun_over_an_unchanged_copy_is_a_no_op(tmp_path: Path) -> None:
    assert make_vendor(tmp_path).returncode == 0
    before = snapshot(tmp_path / NAME)
    result = make_vendor(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    assert snapshot(tmp_path / NAME) == before


def test_rerun_updates_a_pristine_copy(tmp_path: Path) -> None:
    """A regenerated package (here: a changed, an added and a removed file) replaces an unedited copy."""
    dest = tmp_path / "dest"
    assert vendor.main([str(dest), "--name", NAME]) == 0
    source = tmp_path / "regenerated"
    shutil.copytree(GENERATED, source, ignore=shutil.ignore_patterns("__pycache__"))
    (source / "client.py").write_text((source / "client.py").read_text() + "\n# regenerated\n")
    (source / "models" / "new_model.py").write_text("X = 1\n")
    (source / "models" / "video_stats.py").unlink()
    result = vendor.vendor(dest, NAME, source=source)
    assert result.changed == ["client.py", "models/new_model.py"]
    assert result.removed == ["models/video_stats.py"]
    assert result.discarded == []
    assert (dest / NAME / "client.py").read_text().endswith("# regenerated\n")
    assert not (dest / NAME / "models" / "video_stats.py").exists()
    assert vendor.hand_edits(dest / NAME) == []  # the stamp follows the new content
    assert [p.name for p in dest.iterdir()] == [NAME]  # no staging folders left behind


def test_hand_edits_block_the_update_and_force_goes_through(tmp_path: Path) -> None:
    assert make_vendor(tmp_path).returncode == 0
    copy = tmp_path / NAME
    (copy / "client.py").write_text((copy / "client.py").read_text() + "\n# local patch\n")
    (copy / "models" / "local_helper.py").write_text("HELPER = 1\n")
    (copy / "models" / "peer_event.py").unlink()
    edited = snapshot(copy)

    blocked = make_vendor(tmp_path)
    assert blocked.returncode != 0
    assert "edited by hand" in blocked.stderr and "FORCE=1" in blocked.stderr
    for line in ("modified  client.py", "added     models/local_helper.py", "removed   models/peer_event.py"):
        assert line in blocked.stderr
    assert "Traceback" not in blocked.stderr
    assert snapshot(copy) == edited  # nothing changed, the stamp included

    forced = make_vendor(tmp_path, force=True)
    assert forced.returncode == 0, forced.stderr
    assert "discarded hand edit: modified  client.py" in forced.stdout
    assert vendor.hand_edits(copy) == []
    assert not (copy / "models" / "local_helper.py").exists()
    assert (copy / "models" / "peer_event.py").read_bytes() == (GENERATED / "models" / "peer_event.py").read_bytes()


def test_an_edited_stamp_also_blocks(tmp_path: Path) -> None:
    assert vendor.main([str(tmp_path)]) == 0
    stamp = tmp_path / "realtimekit_client" / "VENDORED.json"
    stamp.write_text("{not json")
    assert vendor.main([str(tmp_path)]) == 1
    assert stamp.read_text() == "{not json"
    assert vendor.main([str(tmp_path), "--force"]) == 0
    assert json.loads(stamp.read_text())["import_name"] == "realtimekit_client"


def test_refuses_a_folder_it_did_not_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / NAME).mkdir()
    (tmp_path / NAME / "mine.py").write_text("x = 1\n")
    assert vendor.main([str(tmp_path), "--name", NAME]) == 1
    assert "has no VENDORED.json" in capsys.readouterr().err
    assert (tmp_path / NAME / "mine.py").exists()


@pytest.mark.parametrize("name", ["1abc", "my-pkg", "class", "", "__init__"])
def test_bad_import_names_are_refused(tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert vendor.main([str(tmp_path), "--name", name]) == 1
    assert re.search("must be an identifier that is not a keyword or a dunder name", capsys.readouterr().err)
    assert list(tmp_path.iterdir()) == []


def test_the_copy_reads_like_any_other_folder(tmp_path: Path) -> None:
    assert make_vendor(tmp_path / "svc").returncode == 0
    copy, source = tmp_path / "svc" / NAME, Path(realtimekit_client.__file__).parent
    assert copy.stat().st_mode & 0o777 == (source.stat().st_mode & 0o777), oct(copy.stat().st_mode)


@pytest.mark.parametrize("inside", ["", "models"])
def test_refuses_to_vendor_into_the_generated_tree(inside: str, capsys: pytest.CaptureFixture[str]) -> None:
    package = Path(vendor.SOURCE)
    before = snapshot(package.parent)
    assert vendor.main([str(package / inside if inside else package.parent), "--force"]) == 1
    assert "inside the generated package's own folder" in capsys.readouterr().err
    assert snapshot(package.parent) == before


def test_make_vendor_without_dest_prints_usage() -> None:
    result = subprocess.run(["make", "-s", "-C", str(ROOT), "vendor"], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "usage: make vendor DEST=" in result.stderr
