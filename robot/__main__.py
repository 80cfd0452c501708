from robot.cli import app

app(prog_name="robot")
