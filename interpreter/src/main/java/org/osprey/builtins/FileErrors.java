package org.osprey.builtins;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The operating system's reason for a failed file or process operation, in the plain words an Osprey
 * {@code Error} message uses ("no such file", "permission denied"), never a Java class name. Java reports
 * most failures as a {@link FileSystemException} carrying the C library's text ("Is a directory"); that
 * text is kept, lower-cased, when no better wording is known.
 */
final class FileErrors {
    private FileErrors() {
    }

    /** Why {@code e} happened, e.g. {@code no such file}. */
    static String reason(Throwable e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "it already exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "the directory is not empty";
        }
        if (e instanceof NotDirectoryException) {
            return "a part of the path is not a directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return plain(f.getReason());
        }
        if (e instanceof InvalidPathException p) {
            return "not a valid path (" + plain(p.getReason()) + ")";
        }
        if (e instanceof SecurityException) {
            return "file access is not allowed here";
        }
        if (e instanceof UnsupportedOperationException) {
            return "the file system does not support this";
        }
        if (e instanceof IOException && e.getMessage() != null && !e.getMessage().isBlank()) {
            return plain(e.getMessage());
        }
        return "input/output error";
    }

    /** The C library's text for errno values a program is likely to meet, worded as a reason. */
    static String plain(String osText) {
        String t = osText.strip();
        switch (t) {
            case "Is a directory":
                return "it is a directory";
            case "Not a directory":
                return "a part of the path is not a directory";
            case "No such file or directory":
                return "no such file";
            case "Permission denied":
                return "permission denied";
            default:
                break;
        }
        if (t.startsWith("Too many levels of symbolic links")) {
            // ELOOP, to which Java's file API adds "or unable to access attributes of symbolic link": a link
            // that leads back to itself, which is what it means where links are followed.
            return "too many levels of symbolic links (the links lead in a circle)";
        }
        if (t.length() > 1 && Character.isUpperCase(t.charAt(0)) && Character.isLowerCase(t.charAt(1))) {
            t = Character.toLowerCase(t.charAt(0)) + t.substring(1);
        }
        return t;
    }

    /**
     * "the working directory /w no longer exists" when the directory relative paths and processes start from
     * was removed while the program ran (by a process it spawned, or another program), else null.
     */
    static String workingDirectoryGone(com.oracle.truffle.api.TruffleLanguage.Env env) {
        try {
            com.oracle.truffle.api.TruffleFile dir = env.getCurrentWorkingDirectory();
            return dir.exists() ? null : "the working directory " + org.osprey.runtime.Display.visible(dir.getPath()) + " no longer exists";
        } catch (SecurityException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** Does {@code e} say that a directory in the path is really a file (ENOTDIR)? */
    static boolean isNotDirectory(Throwable e) {
        return e instanceof NotDirectoryException || e instanceof FileSystemException f && "Not a directory".equals(f.getReason());
    }
}
