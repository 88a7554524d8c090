"""A keyring backend for the tests of ``questionbook ask``: one key, for one endpoint.

Selected in a subprocess with ``PYTHON_KEYRING_BACKEND=tests.cli.fake_keyring.OneKey`` and the
endpoint in ``QB_TEST_KEY_FOR``.
"""

from __future__ import annotations

import os

from keyring.backend import KeyringBackend


class OneKey(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        if service == "QuestionBook AI" and username == os.environ.get("QB_TEST_KEY_FOR"):
            return "sk-from-the-keyring"
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise NotImplementedError

    def delete_password(self, service: str, username: str) -> None:
        raise NotImplementedError
