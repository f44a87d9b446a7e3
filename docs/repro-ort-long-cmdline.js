// onnxruntime-node 1.30.0, Linux: InferenceSession.create segfaults once the command line is over ~29,000 bytes.
//   node docs/repro-ort-long-cmdline.js                                  -> "session created"
//   node docs/repro-ort-long-cmdline.js "$(head -c 29000 /dev/zero | tr '\0' x)"   -> Segmentation fault (exit 139)
//   ORT_DISABLE_TELEMETRY=1 node docs/repro-ort-long-cmdline.js "$(head -c 29000 /dev/zero | tr '\0' x)"   -> "session created"
const fs = require('fs');
const ort = require('onnxruntime-node');
const identity = Buffer.from('CAhCBAoAEA06OgoTCgF4EgF5GgFuIghJZGVudGl0eRIBZ1oPCgF4EgoKCAgBEgQKAggBYg8KAXkSCgoICAESBAoCCAE=', 'base64'); // y = Identity(x), float[1]
console.log(`onnxruntime-node ${require('onnxruntime-node/package.json').version}, command line ${fs.readFileSync('/proc/self/cmdline').length} bytes`);
ort.InferenceSession.create(identity).then(() => console.log('session created'));
