"""The timeline panel: layout, pure logic and callbacks."""
