"""Two robots that answer each other's mail exchange at most one mail each, then stop."""

from __future__ import annotations

import os

import yaml

from tests.robotenv import RobotEnv, local, mail, write_config

OTHER = "other@school.example"


def _robot(folder, dovecot, smtp, address: str, login: str, password_env: str, peer: str) -> RobotEnv:
    env = write_config(folder, dovecot, smtp)
    data = yaml.safe_load(env.path.read_text(encoding="utf-8"))
    data["mailbox"]["address"] = address
    data["mailbox"]["imap"]["username"] = login
    data["mailbox"]["imap"]["password_env"] = password_env
    data["units"][0]["emails"] = [peer]  # each robot believes the other is a school
    env.path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    os.environ[password_env] = dovecot.users[login]
    return RobotEnv(env.path)


def test_two_robots_do_not_loop(tmp_path, mailbox, smtp_server):
    smtp_server.relay_to(mailbox)  # what robot A sends lands in robot B's INBOX, and back
    robot_a = _robot(tmp_path / "a", mailbox, smtp_server, mailbox.user, mailbox.user,
                     "ROBOT_A_PASSWORD", OTHER)
    robot_b = _robot(tmp_path / "b", mailbox, smtp_server, OTHER, OTHER, "ROBOT_B_PASSWORD", mailbox.user)
    # A mail from B's address starts it: A answers B.
    mailbox.append(mail(OTHER, "Báo cáo PCMD", [], to=mailbox.user), internaldate=local(2026, 11, 20, 9, 0))

    for _ in range(3):
        assert robot_a.cli("poll").exit_code == 0
        assert robot_b.cli("poll").exit_code == 0

    senders = [m.mail_from for m in smtp_server.messages]
    assert senders == [mailbox.user]  # A's one notice; B recognised it as a robot's and kept quiet
    assert mailbox.message_count(user=OTHER) == 1
