"""``tiepdan janusnodes``: registering a node (its secrets stay in their file), refusing bad
input with a clear message and nothing saved, disabling and listing."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tiepdan.media.models import JanusNode

pytestmark = pytest.mark.django_db


@pytest.fixture
def secrets_file(tmp_path):
    path = tmp_path / "node-b.json"
    path.write_text(json.dumps({"api_secret": "a", "admin_secret": "b", "room_admin_key": "c"}))
    return path


def add(name: str, secrets, **extra) -> str:
    out = io.StringIO()
    args = {
        "api_url": "http://10.0.0.5:8088/janus",
        "admin_url": "http://10.0.0.5:7088/admin",
        **extra,
    }
    call_command(
        "janusnodes",
        "add",
        name,
        f"--api-url={args['api_url']}",
        f"--admin-url={args['admin_url']}",
        f"--secrets-file={secrets}",
        f"--capacity={args.get('capacity', 30)}",
        stdout=out,
    )
    return out.getvalue()


def test_it_registers_a_node_and_keeps_only_a_reference_to_its_secrets(secrets_file):
    assert "registered node-b" in add("node-b", secrets_file)
    node = JanusNode.objects.get(name="node-b")
    assert node.secrets_ref == f"file:{secrets_file.resolve()}"
    assert node.capacity_rooms == 30 and node.enabled and not node.healthy
    assert "b" not in {node.api_url, node.admin_url, node.secrets_ref}


@pytest.mark.parametrize(
    ("name", "extra", "message"),
    [
        pytest.param("node-b", {"api_url": "ftp://x/janus"}, "Địa chỉ không hợp lệ", id="bad-url"),
        pytest.param("embedded", {}, "Tên máy chủ truyền hình không hợp lệ", id="reserved-name"),
        pytest.param("node-b", {"capacity": 0}, "lớn hơn 0", id="no-capacity"),
    ],
)
def test_it_refuses_bad_input_and_saves_nothing(secrets_file, name, extra, message):
    with pytest.raises(CommandError, match=message):
        add(name, secrets_file, **extra)
    assert not JanusNode.objects.filter(name=name).exclude(secrets_ref="embedded").exists()


def test_it_refuses_a_secrets_file_it_cannot_read(tmp_path):
    with pytest.raises(CommandError, match="Không đọc được tệp khóa bí mật"):
        add("node-b", tmp_path / "missing.json")
    assert not JanusNode.objects.filter(name="node-b").exists()


def test_it_refuses_a_second_node_with_the_same_name(secrets_file):
    add("node-b", secrets_file)
    with pytest.raises(CommandError, match="Đã có máy chủ truyền hình tên này"):
        add("node-b", secrets_file)


def test_it_disables_a_node_and_lists_every_node(secrets_file):
    add("node-b", secrets_file)
    call_command("janusnodes", "disable", "node-b", stdout=io.StringIO())
    assert not JanusNode.objects.get(name="node-b").enabled
    out = io.StringIO()
    call_command("janusnodes", "list", stdout=out)
    listed = out.getvalue()
    assert "node-b\tdisabled\tunhealthy\trooms 0/30" in listed
    assert listed.startswith("embedded\tenabled")
    with pytest.raises(CommandError, match="no Janus node"):
        call_command("janusnodes", "enable", "node-z")
