"""``chainlit run ui/app.py`` works as ``opgavewijzer serve`` does: the ui folder as app root, a login secret."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import httpx
import pytest

from opgavewijzer.cli.ui import settings_environment
from tests.browser import copy_app_root
from tests.servers import background, free_port
from ui.launch import needs_relaunch, relaunch_command

APP = "/srv/project/ui/app.py"


def test_only_chainlits_run_of_the_app_without_root_or_secret_is_started_again() -> None:
    secret = {"CHAINLIT_AUTH_SECRET": "x" * 48}
    assert not needs_relaunch({}, "/srv/project", None)  # imported by a test or a tool
    assert needs_relaunch(secret, "/srv/project", APP)  # 'chainlit run ui/app.py' from the project root
    assert needs_relaunch({}, "/srv/project/ui", APP)  # 'cd ui && chainlit run app.py': no secret
    assert not needs_relaunch(secret, "/srv/project/ui", APP)
    assert not needs_relaunch({**secret, "CHAINLIT_APP_ROOT": "/elders"}, "/elders", APP)  # chosen on purpose
    assert relaunch_command(["/venv/bin/chainlit", "run", "ui/app.py", "--port", "9000"]) == [
        sys.executable, "-m", "chainlit", "run", "ui/app.py", "--port", "9000"]


@pytest.mark.slow
@pytest.mark.parametrize("where", ["project root", "ui folder"])
def test_chainlit_run_serves_the_app_with_its_own_configuration_and_a_generated_secret(
        where: str, tiny_settings, tmp_path: Path) -> None:  # noqa: ANN001
    project = tmp_path / "project"
    copy_app_root(project / "ui")
    settings = tiny_settings.override(ui__maintainer_password="beheer-wachtwoord")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPGAVEWIJZER_", "CHAINLIT_"))}
    env.update(settings_environment(settings))
    port = free_port()
    cwd, target = (project, "ui/app.py") if where == "project root" else (project / "ui", "app.py")
    cmd = [str(Path(sys.executable).with_name("chainlit")), "run", target, "--headless", "--host", "127.0.0.1",
           "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    with background(cmd, url, 120, tmp_path / "server.log", env=env, cwd=cwd):
        page = httpx.get(url, timeout=30)
        assert "<title>Opgavewijzer</title>" in page.text  # ui/.chainlit/config.toml, not Chainlit's default
        assert "'unsafe-inline'" not in page.headers["content-security-policy"].split("; ")[1]
        secret = settings.data_dir / "chainlit_auth_secret"
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600
        login = httpx.post(f"{url}/login", data={"username": "beheerder", "password": "beheer-wachtwoord"}, timeout=30)
        assert login.status_code == 200
        assert httpx.get(f"{url}/user", cookies=login.cookies, timeout=30).json()["metadata"]["role"] == "beheerder"
