"""Spec drift: the spec's terminate answer held against the official SDK's model of it.

``python -m drift`` (``make drift``) walks ``StopTrainingJobResponse`` of ``huaweicloudsdkmodelarts``
through its own ``openapi_types``/``attribute_map`` and the ``202`` schema of ``terminateTrainingJob``
in ``spec/openapi.yaml``, and reports the field paths only one side has and the ones whose types
differ. The layers: ``vocabulary`` (one type language for both sides), ``sdk_tree`` and
``spec_tree`` (the two walks), ``compare``, ``allowlist``, ``report`` and ``cli``.
"""
