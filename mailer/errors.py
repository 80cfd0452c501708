"""The mailer's exceptions: what the robot needs to know about the mail servers, nothing more."""


class MailerError(Exception):
    """Base of everything the mailer raises."""


class MailboxError(MailerError):
    """The IMAP mailbox could not be reached, logged into or read."""


class DeliveryError(MailerError):
    """A message could not be handed to the SMTP server.

    ``permanent`` is true when retrying cannot help (5xx reply, every recipient refused);
    ``unreachable`` is true when the server could not be reached at all (connect, TLS, login),
    so no other mail can be sent now either.
    """

    def __init__(self, message: str, *, permanent: bool = False, unreachable: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.unreachable = unreachable


class UnfetchableMessage(MailboxError):
    """A message the server lists but will not hand over; the poll stops at it and tries again."""

    def __init__(self, uid: int, uidvalidity: int, message: str) -> None:
        super().__init__(message)
        self.uid, self.uidvalidity = uid, uidvalidity
