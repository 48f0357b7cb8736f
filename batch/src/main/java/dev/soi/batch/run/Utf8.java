package dev.soi.batch.run;

/** UTF-8 sizes of text, counted without encoding it. */
public final class Utf8 {
    private Utf8() {}

    /** The bytes {@code text} takes in UTF-8: what SQS and the drain's byte budget count. */
    public static long length(CharSequence text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
