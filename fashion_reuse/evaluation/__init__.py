"""Evaluation of generated garments: distribution distances, CLIPScore, structure, edges, texture, prompt fidelity and human ratings."""
