from irx.cli import app

app()
