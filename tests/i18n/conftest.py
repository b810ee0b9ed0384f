"""The media tests' fixtures (a hearing cast, a Janus for its rooms), for the English socket
tests."""

from tests.media.conftest import (  # noqa: F401 - fixtures
    cast,
    janus,
    janus_installed,
    make_janus_settings,
    rooms_on_test_janus,
)
