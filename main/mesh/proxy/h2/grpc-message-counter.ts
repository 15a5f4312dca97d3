/**
 * Counts the messages of one direction of a gRPC call as its bytes pass: each message is a 5-byte
 * prefix (flag, then the length as a uint32) and that many bytes, split across DATA frames however
 * the peer likes. A message counts once its prefix is complete; nothing is copied but the prefix.
 */
export class GrpcMessageCounter {
  count = 0;
  private readonly prefix = Buffer.alloc(5);
  private prefixFill = 0;
  private bodyLeft = 0;

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.bodyLeft > 0) {
        const taken = Math.min(this.bodyLeft, chunk.length - at);
        this.bodyLeft -= taken;
        at += taken;
        continue;
      }
      this.prefix[this.prefixFill++] = chunk[at++] as number;
      if (this.prefixFill === 5) {
        this.count++;
        this.bodyLeft = this.prefix.readUInt32BE(1);
        this.prefixFill = 0;
      }
    }
  }
}
