"""The wheel carries the report templates: build it, install it in a fresh venv, render.

An editable install finds templates/ in the source tree whatever the packaging says;
only a real wheel in a clean environment shows that pyproject.toml ships them. The
build runs offline (no build isolation: the test extra brings setuptools), from a copy
of the project so nothing is written into the working tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

from conftest import EXAMPLES, ROOT

SHIPPED = ("pyproject.toml", "README.md", "dedupe", "templates")


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


def test_wheel_installed_in_a_fresh_venv_renders_the_report(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    for name in SHIPPED:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(ROOT / name, source / name)
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
        "-w", tmp_path / "dist", source, cwd=tmp_path)
    wheel = next((tmp_path / "dist").glob("dedupe-*.whl"))

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path)
                .stdout.strip())
    # dedupe's dependencies come from this interpreter's site-packages, added as a plain
    # path: its .pth files (the editable dedupe) are not run, so only the wheel's dedupe exists
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "-q", wheel,
        cwd=tmp_path)

    out = tmp_path / "report.html"
    script = (
        "import sys, dedupe\n"
        f"assert dedupe.__file__.startswith({str(site)!r}), dedupe.__file__\n"
        "from dedupe.cli import main\n"
        f"sys.argv = ['dedupe', 'report', {str(EXAMPLES)!r}, '-o', {str(out)!r}, '--quiet']\n"
        "main()\n"
    )
    done = subprocess.run([str(python), "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert 'http-equiv="Content-Security-Policy"' in page
    assert ".hl.d1 {" in page and "function route()" in page  # the CSS and the script
    assert '<section class="texts"' in page and '<section class="summary"' in page  # both partials

    # The console script is the entry point that replays an unchanged check (replay.py).
    (dist_info,) = site.glob("dedupe-*.dist-info")
    assert "dedupe = dedupe.__main__:main" in (dist_info / "entry_points.txt").read_text(encoding="utf-8")
    check = [str(python), "-X", "importtime", "-m", "dedupe", "check", str(EXAMPLES), "--cache-dir",
             str(tmp_path / "cache"), "-o", str(tmp_path / "out.txt")]
    first = subprocess.run(check, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    text = (tmp_path / "out.txt").read_text(encoding="utf-8")
    second = subprocess.run(check, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert (first.returncode, second.returncode) == (1, 1), first.stderr[-2000:]
    assert "dedupe.cli" in first.stderr and "dedupe.cli" not in second.stderr  # replayed
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == text
