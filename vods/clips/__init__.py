"""Clips: 5-60 s excerpts of a live stream's recording or of a VOD, rendered frame-exact by ffmpeg."""
