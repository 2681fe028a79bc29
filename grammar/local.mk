# grammar: owned by the grammar stage
