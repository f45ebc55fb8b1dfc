package io.github.losslab.app.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** Reads the text files a user gives (configuration files, a saved model's {@code model.json}) as UTF-8. */
public final class TextFiles {

    /** A text file whose bytes are not UTF-8; its message names the file and where the first bad byte is. */
    public static final class NotUtf8Exception extends IOException {
        private static final long serialVersionUID = 1L;

        NotUtf8Exception(String message) {
            super(message);
        }
    }

    private TextFiles() {
    }

    /**
     * The text of {@code file}.
     *
     * @throws NotUtf8Exception when it is not valid UTF-8, saying where
     */
    public static String readUtf8(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Optional<String> problem = utf8Problem(bytes);
        if (problem.isPresent()) {
            throw new NotUtf8Exception(file + " is not UTF-8 text (" + problem.get() + "); save it as UTF-8");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Where {@code bytes} stop being UTF-8, for example {@code byte 0xff at line 3, column 9}; empty if they are. */
    static Optional<String> utf8Problem(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(4096);
        while (true) {
            CoderResult r = in.hasRemaining() ? decoder.decode(in, out, true) : decoder.flush(out);
            if (r.isError()) {
                int at = in.position();
                int line = 1;
                int lineStart = 0;
                for (int i = 0; i < at; i++) {
                    if (bytes[i] == '\n') {
                        line++;
                        lineStart = i + 1;
                    }
                }
                return Optional.of(String.format(Locale.ROOT, "byte 0x%02x at line %d, column %d", bytes[at] & 0xff,
                        line, at - lineStart + 1));
            }
            if (r.isOverflow()) {
                out.clear();
            } else if (!in.hasRemaining()) {
                return Optional.empty();
            }
        }
    }
}
