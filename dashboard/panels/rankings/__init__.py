"""The rankings panel: layout, pure logic and callbacks."""
