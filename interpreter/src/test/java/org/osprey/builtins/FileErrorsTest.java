package org.osprey.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

import org.junit.jupiter.api.Test;

/**
 * The reasons in file and process error messages. Most are seen by the corpus (tests/run/fs); the ones a
 * test cannot provoke portably are checked here: permission denied (the tests may run as root), a full or
 * read-only disk, an invalid path.
 */
class FileErrorsTest {
    private static FileSystemException os(String reason) {
        return new FileSystemException("/some/path", null, reason);
    }

    @Test
    void javaExceptionsBecomePlainWords() {
        assertEquals("no such file", FileErrors.reason(new NoSuchFileException("/a/b.txt")));
        assertEquals("permission denied", FileErrors.reason(new AccessDeniedException("/etc/shadow")));
        assertEquals("it already exists", FileErrors.reason(new FileAlreadyExistsException("x")));
        assertEquals("the directory is not empty", FileErrors.reason(new DirectoryNotEmptyException("d")));
        assertEquals("a part of the path is not a directory", FileErrors.reason(new NotDirectoryException("f/x")));
        assertEquals("file access is not allowed here", FileErrors.reason(new SecurityException("Operation is not allowed for: /x")));
        assertEquals("not a valid path (nul character not allowed)", FileErrors.reason(new InvalidPathException("a\0b", "Nul character not allowed")));
    }

    @Test
    void theOperatingSystemsTextIsKeptLowerCased() {
        assertEquals("it is a directory", FileErrors.reason(os("Is a directory")));
        assertEquals("a part of the path is not a directory", FileErrors.reason(os("Not a directory")));
        assertEquals("permission denied", FileErrors.reason(os("Permission denied")));
        assertEquals("read-only file system", FileErrors.reason(os("Read-only file system")));
        assertEquals("no space left on device", FileErrors.reason(os("No space left on device")));
        assertEquals("operation not permitted", FileErrors.reason(os("Operation not permitted")));
        assertEquals("input/output error", FileErrors.reason(new IOException("Input/output error")));
        assertEquals("EIO", FileErrors.reason(new IOException("EIO")));
    }

    @Test
    void withoutAnyTextTheReasonIsStillWords() {
        assertEquals("input/output error", FileErrors.reason(new IOException()));
        assertEquals("input/output error", FileErrors.reason(new IOException("  ")));
        assertEquals("the file system does not support this", FileErrors.reason(new UnsupportedOperationException()));
        String reason = FileErrors.reason(new IOException((String) null));
        assertFalse(reason.contains("Exception") || reason.contains("java."), reason);
    }

    @Test
    void notADirectoryIsRecognisedInBothForms() {
        assertTrue(FileErrors.isNotDirectory(new NotDirectoryException("f/x")));
        assertTrue(FileErrors.isNotDirectory(os("Not a directory")));
        assertFalse(FileErrors.isNotDirectory(os("Is a directory")));
        assertFalse(FileErrors.isNotDirectory(new NoSuchFileException("x")));
    }
}
