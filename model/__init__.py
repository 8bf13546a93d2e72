"""The document model, at the bottom of every dependency: the Record (``record``), the
declared fields and facets (``fields``), the bilingual vocabulary (``vocabulary``) and the
messages staff read (``messages``). It imports nothing else of the project."""
