"""``chainlit run ui/app.py`` (or ``cd ui && chainlit run app.py``) set up as ``opgavewijzer serve`` would.

Chainlit decides its app root (``CHAINLIT_APP_ROOT``, else the working
directory) and reads ``.chainlit/config.toml`` from there when it is first
imported, long before it loads ``app.py``; it also needs the login secret
in its environment. Started from the project root, it would read (and
create) a default configuration there, and without a secret it refuses to
start. So when ``app.py`` finds that the server was started without these,
it starts the same command again, in place, with the environment that
``opgavewijzer serve`` gives (see :func:`opgavewijzer.cli.ui.serve_environment`):
``ui/`` as app root, the generated secret, private file rights. Started by
``opgavewijzer serve``, or with both variables already set, nothing happens.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Mapping, Sequence

def needs_relaunch(environ: Mapping[str, str], app_root: str, module_name: str | None) -> bool:
    """True when Chainlit's ``run`` started this app without an app root (its folder) or a login secret."""
    if not module_name:
        return False  # imported by something else (a test, a tool): leave the process alone
    root_ok = "CHAINLIT_APP_ROOT" in environ or Path(app_root).resolve() == Path(module_name).resolve().parent
    return not (root_ok and environ.get("CHAINLIT_AUTH_SECRET"))


def relaunch_command(argv: Sequence[str]) -> list[str]:
    """The same Chainlit command line, run by this Python (argv[0] may be the ``chainlit`` script)."""
    return [sys.executable, "-m", "chainlit", *argv[1:]]


def relaunch_if_needed(app_root: str, module_name: str | None) -> None:
    """Start this server again with ``opgavewijzer serve``'s environment, if it lacks it (see the module)."""
    if not needs_relaunch(os.environ, app_root, module_name):
        return
    from opgavewijzer.cli.ui import keep_files_private, serve_environment
    from opgavewijzer.settings import Settings

    base = dict(os.environ)
    base.setdefault("CHAINLIT_APP_ROOT", str(Path(module_name or "").resolve().parent))  # the app file's folder
    env = serve_environment(Settings(), base)
    keep_files_private()
    sys.stdout.flush()
    cmd = relaunch_command(sys.argv)
    os.execve(cmd[0], cmd, env)
