"""Copies of a collection's pictures: which token a re-saved, resized, cropped, framed, flipped,
recoloured or overlaid picture shows.

:mod:`.picture` decodes an upload within bounds; :mod:`.index` is the perceptual index `pin`
builds and publishes beside the metadata, which only proposes candidates; :mod:`.likeness` aligns
the picture with a candidate's image (verified by its CID) and decides (:func:`.likeness.judge`).
"""
