/**
 * The architecture of dlib's face recognition network
 * (`dlib_face_recognition_resnet_model_v1`) as face-api lays out its weights:
 * a 7×7/2 stem with 3×3/2 max-pooling, 14 residual blocks (4 of them
 * down-sampling), global average pooling and a bias-free 256 → 128 dense
 * layer. 29 convolutions: "a ResNet-34 with a few layers removed and the
 * number of filters per layer reduced by half" (Davis King).
 */

/** A residual block: two 3×3 convolutions; `down` blocks stride the first by 2 (valid padding). */
export interface BlockSpec {
  /** Weight-name prefix in the manifest, e.g. `conv64_down`. */
  readonly name: string;
  readonly down: boolean;
  readonly inChannels: number;
  readonly channels: number;
}

/** Input side the network was trained at (dlib's 150×150 aligned chips). */
export const FACE_NET_INPUT_SIZE = 150;

/** Width of the pretrained descriptor. */
export const FACE_NET_DESCRIPTOR_SIZE = 128;

/**
 * Mean RGB (0–255 scale) that face-api subtracts before dividing by 255
 * (`FaceRecognitionNet.forwardInput`: `normalize(x, [122.782, 117.001, 104.298]).div(255)`).
 */
export const FACE_NET_MEAN_RGB = [122.782, 117.001, 104.298] as const;

/** Stem convolution: 7×7, stride 2, valid padding, 3 → 32 channels, then ReLU and max-pool 3×3/2 (valid). */
export const STEM = { name: 'conv32_down', kernelSize: 7, inChannels: 3, channels: 32 } as const;

const block = (name: string, inChannels: number, channels: number, down = false): BlockSpec => ({ name, down, inChannels, channels });

/** The residual blocks in forward order (face-api's `FaceRecognitionNet.forwardInput`). */
export const BLOCKS: readonly BlockSpec[] = [
  block('conv32_1', 32, 32),
  block('conv32_2', 32, 32),
  block('conv32_3', 32, 32),
  block('conv64_down', 32, 64, true),
  block('conv64_1', 64, 64),
  block('conv64_2', 64, 64),
  block('conv64_3', 64, 64),
  block('conv128_down', 64, 128, true),
  block('conv128_1', 128, 128),
  block('conv128_2', 128, 128),
  block('conv256_down', 128, 256, true),
  block('conv256_1', 256, 256),
  block('conv256_2', 256, 256),
  // Named like a plain block in face-api, but forwarded through `residualDown`.
  block('conv256_down_out', 256, 256, true),
];

/** Width of the pooled features entering the final dense layer. */
export const FC_INPUT = 256;
