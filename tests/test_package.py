"""The installable package: `python -m build` makes an sdist and a wheel; the wheel installs into a fresh virtual
environment and works there. Its runtime dependencies come from the package index (or pip's cache)."""

from __future__ import annotations

import email
import os
import shutil
import subprocess
import sys
import tarfile
import textwrap
import time
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import realtimekit_client

from tests.stand_in.ids import IDS, TOKEN
from tests.stand_in.server import LocalServer

ROOT = Path(__file__).resolve().parent.parent
VERSION = realtimekit_client.__version__


def clone_of_the_checkout(folder: Path) -> Path:
    """What a fresh clone holds: the files git tracks (and new ones it does not ignore), as they are now; no .venv,
    caches or build output."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is not part of the clone either
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return folder


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """`python -m build` (sdist, then the wheel from the sdist) from a fresh clone, into a temporary folder."""
    out = tmp_path_factory.mktemp("dist")
    clone = clone_of_the_checkout(tmp_path_factory.mktemp("clone"))
    started = time.monotonic()
    build = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(clone)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    print(f"build took {time.monotonic() - started:.1f} s")
    yield out


def only(folder: Path, pattern: str) -> Path:
    (found,) = folder.glob(pattern)
    return found


def test_wheel_holds_the_package_and_nothing_else(dist: Path) -> None:
    wheel = only(dist, "*.whl")
    assert wheel.name == f"realtimekit_client-{VERSION}-py3-none-any.whl"
    names = zipfile.ZipFile(wheel).namelist()
    info = f"realtimekit_client-{VERSION}.dist-info/"
    assert all(name.startswith(("realtimekit_client/", info)) for name in names), names
    for required in ("__init__.py", "py.typed", "provenance.json", "errors.py", "api/sessions/__init__.py"):
        assert f"realtimekit_client/{required}" in names
    for required in ("__main__.py", "cli/__init__.py", "cli/app.py"):  # the command
        assert f"realtimekit_client/{required}" in names
    entry_points = zipfile.ZipFile(wheel).read(info + "entry_points.txt").decode()
    assert "[console_scripts]\nrealtimekit = realtimekit_client.cli:main" in entry_points
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]
    metadata = email.message_from_bytes(zipfile.ZipFile(wheel).read(info + "METADATA"))
    assert metadata["Name"] == "realtimekit-client"
    assert metadata["Version"] == VERSION
    requires = metadata.get_all("Requires-Dist") or []
    assert any(r.startswith("httpx") for r in requires) and any(r.startswith("attrs") for r in requires)
    assert not [r for r in requires if "pytest" in r and "extra ==" not in r]  # dev tools are extras only


def test_sdist_holds_the_sources_and_no_tests_or_scripts(dist: Path) -> None:
    sdist = only(dist, "*.tar.gz")
    assert sdist.name == f"realtimekit_client-{VERSION}.tar.gz"
    prefix = f"realtimekit_client-{VERSION}/"
    names = {name.removeprefix(prefix) for name in tarfile.open(sdist).getnames()}
    for required in ("pyproject.toml", "README.md", "CHANGELOG.md", "openapi/realtimekit.yaml"):
        assert required in names
    assert "generated/realtimekit_client/py.typed" in names
    assert not [name for name in names if name.startswith(("tests/", "scripts/", ".ci/", ".venv"))]


def test_wheel_installs_into_a_fresh_venv_and_calls_the_server(dist: Path, tmp_path: Path, server: LocalServer) -> None:
    started = time.monotonic()
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    clean_env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(only(dist, "*.whl"))],
        capture_output=True,
        text=True,
        timeout=300,
        env=clean_env,
    )
    assert install.returncode == 0, install.stderr
    program = textwrap.dedent(
        f"""\
        import importlib.resources, json
        import realtimekit_client
        from realtimekit_client import AuthenticatedClient
        from realtimekit_client.api.sessions import get_participant_details
        from realtimekit_client.models import ParticipantDetailsResponse

        package = importlib.resources.files("realtimekit_client")
        assert package.joinpath("py.typed").is_file()
        provenance = json.loads(package.joinpath("provenance.json").read_text())
        client = AuthenticatedClient(base_url={server.base_url!r}, token={TOKEN!r})
        response = get_participant_details.sync(*{IDS!r}, client=client)
        assert isinstance(response, ParticipantDetailsResponse), response
        print(realtimekit_client.__version__, realtimekit_client.__file__, provenance["spec_sha256"], sep="|")
        print(response.data.participant.display_name)
        """
    )
    # cwd: a folder with no realtimekit_client in it, so only the installed wheel can be imported.
    run = subprocess.run(
        [str(python), "-c", program], capture_output=True, text=True, timeout=60, cwd=tmp_path, env=clean_env
    )
    assert run.returncode == 0, run.stderr
    first, second = run.stdout.splitlines()
    version, module_file, spec_sha256 = first.split("|")
    assert version == VERSION
    assert Path(module_file).is_relative_to(env_dir)
    assert len(spec_sha256) == 64
    assert second == "Priya Raman"
    assert server.last_request.valid
    # The command, both ways, from the venv (not on PATH: called by its path, as `.venv/bin/realtimekit` would be).
    command_env = {**clean_env, "CLOUDFLARE_API_TOKEN": TOKEN}
    command = env_dir / ("Scripts/realtimekit.exe" if os.name == "nt" else "bin/realtimekit")
    ids = ["--account-id", IDS[0], "--app-id", IDS[1], "--session-id", IDS[2], "--participant-id", IDS[3]]
    for argv in ([str(command)], [str(python), "-m", "realtimekit_client"]):
        shown = subprocess.run(
            [*argv, "participant", *ids, "--base-url", server.base_url, "--format", "csv"],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
            env=command_env,
        )
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout.startswith("time,kind,quality,")
        assert len(shown.stdout.splitlines()) == 13  # the header and the example's 12 samples
        version_line = subprocess.run([*argv, "--version"], capture_output=True, text=True, cwd=tmp_path, env=clean_env)
        assert version_line.stdout.strip().endswith(VERSION)
    print(f"venv + install + call took {time.monotonic() - started:.1f} s")
