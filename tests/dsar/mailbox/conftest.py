import shutil
import tempfile
from pathlib import Path

import pytest

from tests.servers import unavailable

from . import dovecot


@pytest.fixture(scope="module")
def imap_server():
    """One dovecot per test module; each test gets an empty mailbox (see ``imap``).

    Its directory is outside pytest's (private to root): dovecot's own users read it."""
    root = Path(tempfile.mkdtemp(prefix="dsar-dovecot-"))
    try:
        server = dovecot.start(root)
    except dovecot.CannotStart as exc:
        shutil.rmtree(root, ignore_errors=True)
        unavailable(str(exc))
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def imap(imap_server, settings):
    for sub in ("new", "cur"):
        for path in (imap_server.maildir / sub).iterdir():
            path.unlink()
    settings.MAILBOX_TLS_CA_FILE = str(imap_server.cert)
    return imap_server
