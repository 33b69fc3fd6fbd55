"""The shared SQL store: typed models, engines, migrations and the queries other layers use."""
