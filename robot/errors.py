"""The robot's own exceptions."""


class RobotError(Exception):
    """Base of the robot's errors."""


class ConfigError(RobotError):
    """config.yaml is missing or wrong; ``problems`` lists every problem as "key.path: words"."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class StopRequested(BaseException):
    """The robot is stopping (SIGTERM, Ctrl-C): the message being read is left for the next start.

    A BaseException, like KeyboardInterrupt, so that "one bad message never stops the others"
    handlers do not record it as the message's failure.
    """
