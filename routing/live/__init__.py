"""The live food-delivery dispatch engine: immutable round in, plan with ETAs out."""
