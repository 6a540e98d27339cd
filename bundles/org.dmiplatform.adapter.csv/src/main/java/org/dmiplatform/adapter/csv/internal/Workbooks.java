package org.dmiplatform.adapter.csv.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.poi.EncryptedDocumentException;
import org.apache.poi.hssf.OldExcelFormatException;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.poifs.filesystem.DirectoryNode;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.FormulaEvaluator;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.xssf.usermodel.XSSFCell;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.records.CodeLists.CodeList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A code list kept as an Excel workbook: {@code .xlsx} (Office Open XML, a ZIP archive) or {@code .xls} (Excel
 * 97-2003, an OLE2 compound file). The first sheet with a value is read, visible sheets before hidden ones; every
 * cell as Excel shows it, by its number format ({@code 0810} stays {@code 0810}, a whole number has no
 * {@code .0}); a formula by the value the file holds for it, or, where the program that wrote the file left none, by
 * working it out.
 */
final class Workbooks {
    private static final Logger LOG = LoggerFactory.getLogger(Workbooks.class);

    /**
     * What a workbook may unpack to, all its parts together: a code list of 100,000 rows is some 30 MB of XML, and
     * POI holds the whole of it in memory, several times over.
     */
    static final long MAX_UNPACKED = 100L * 1024 * 1024;

    private static final String PROTECTED =
            "is protected by a password: open it in Excel, remove the password (File, Info, Protect Workbook) and save"
                    + " a copy";

    private Workbooks() {}

    static CodeList read(String file, byte[] bytes, SpreadsheetCodeLists.Kind kind) throws IOException {
        FileKind magic = FileKind.of(bytes);
        if (kind == SpreadsheetCodeLists.Kind.XLSX) {
            return switch (magic) {
                case ZIP -> xlsx(file, bytes);
                case OLE2 -> throw ole2Named(file, bytes, "an Excel .xlsx workbook");
                default -> throw SpreadsheetCodeLists.refused(file, "is not an Excel .xlsx workbook: it " + magic.what);
            };
        }
        return switch (magic) {
            case OLE2 -> xls(file, bytes);
            case ZIP -> throw SpreadsheetCodeLists.refused(
                    file,
                    "is not an Excel 97-2003 .xls workbook: it is a ZIP archive, as an .xlsx workbook is (if it is"
                            + " one, name it .xlsx)");
            case HTML -> throw SpreadsheetCodeLists.refused(
                    file,
                    "is not an Excel workbook but a web page (HTML) named .xls, as some records systems export: open"
                            + " it in Excel and save it as .xlsx, or save it as CSV");
            default -> throw SpreadsheetCodeLists.refused(
                    file, "is not an Excel 97-2003 .xls workbook: it " + magic.what);
        };
    }

    private static CodeList xlsx(String file, byte[] bytes) throws IOException {
        checkArchive(file, bytes);
        Workbook workbook;
        try {
            workbook = new XSSFWorkbook(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            // POI's ZIP-bomb checks (ZipSecureFile, left at their defaults) and a damaged or foreign archive
            LOG.debug("{}: not read as an .xlsx workbook", file, e);
            boolean bomb = false;
            for (Throwable t = e; t != null && !bomb; t = t.getCause()) {
                bomb = t.getMessage() != null && t.getMessage().startsWith("Zip bomb");
            }
            throw SpreadsheetCodeLists.refused(
                    file,
                    bomb
                            ? "unpacks to far more than its size, as no workbook does: save it again from Excel"
                            : "cannot be read as an Excel .xlsx workbook: it is damaged or another kind of ZIP archive;"
                                    + " open it in Excel and save it again");
        }
        try (workbook) {
            return sheets(file, workbook);
        }
    }

    /**
     * Refuses, before POI unpacks it into memory, an archive that unpacks to more than {@link #MAX_UNPACKED}, or that
     * is no Office document (an OpenDocument spreadsheet, any other ZIP file).
     */
    private static void checkArchive(String file, byte[] bytes) throws IOException {
        long unpacked = 0;
        boolean contentTypes = false;
        String mimetype = null;
        byte[] buffer = new byte[64 * 1024];
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if ("[Content_Types].xml".equals(entry.getName())) {
                    contentTypes = true;
                }
                if ("mimetype".equals(entry.getName())) {
                    mimetype = new String(zip.readNBytes(200), StandardCharsets.US_ASCII);
                }
                for (int n = zip.read(buffer); n >= 0; n = zip.read(buffer)) {
                    unpacked += n;
                    if (unpacked > MAX_UNPACKED) {
                        throw SpreadsheetCodeLists.refused(
                                file,
                                "unpacks to more than " + MAX_UNPACKED / (1024 * 1024)
                                        + " MB, more than a code list (is it an export of records?)");
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.debug("{}: not a ZIP archive", file, e);
            throw SpreadsheetCodeLists.refused(
                    file, "is not a readable Excel .xlsx workbook: its ZIP archive is damaged or cut short");
        }
        if (mimetype != null && mimetype.startsWith("application/vnd.oasis.opendocument")) {
            throw SpreadsheetCodeLists.refused(
                    file, "is an OpenDocument spreadsheet (.ods), not an Excel workbook: save it as .xlsx or CSV");
        }
        if (!contentTypes) {
            throw SpreadsheetCodeLists.refused(
                    file, "is a ZIP archive but not an Excel workbook: it has no [Content_Types].xml");
        }
    }

    private static CodeList xls(String file, byte[] bytes) throws IOException {
        POIFSFileSystem fs = ole2(file, bytes);
        DirectoryNode root = fs.getRoot();
        if (root.hasEntryCaseInsensitive("EncryptionInfo")) {
            throw SpreadsheetCodeLists.refused(file, PROTECTED);
        }
        if (!root.hasEntryCaseInsensitive("Workbook") && !root.hasEntryCaseInsensitive("Book")) {
            throw SpreadsheetCodeLists.refused(
                    file,
                    "is not an Excel workbook"
                            + (root.hasEntryCaseInsensitive("WordDocument") ? ": it is a Word document" : "")
                            + " (an Office 97-2003 file without a workbook)");
        }
        Workbook workbook;
        try {
            workbook = new HSSFWorkbook(fs);
        } catch (EncryptedDocumentException e) {
            throw SpreadsheetCodeLists.refused(file, PROTECTED);
        } catch (OldExcelFormatException e) {
            throw SpreadsheetCodeLists.refused(
                    file, "is an Excel 5.0/95 workbook, older than this reads: open it in Excel and save it as .xlsx");
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: not read as an .xls workbook", file, e);
            throw SpreadsheetCodeLists.refused(
                    file,
                    "cannot be read as an Excel 97-2003 .xls workbook: it is damaged; open it in Excel and save it"
                            + " again (as .xlsx)");
        }
        try (workbook) {
            return sheets(file, workbook);
        }
    }

    private static POIFSFileSystem ole2(String file, byte[] bytes) {
        try {
            return new POIFSFileSystem(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: not an OLE2 file", file, e);
            throw SpreadsheetCodeLists.refused(
                    file, "cannot be read as an Excel 97-2003 .xls workbook: it is damaged or cut short");
        }
    }

    /** An OLE2 file named .xlsx: an encrypted .xlsx workbook (they are wrapped so), or an .xls one misnamed. */
    private static InvalidInputException ole2Named(String file, byte[] bytes, String what) {
        DirectoryNode root = ole2(file, bytes).getRoot();
        if (root.hasEntryCaseInsensitive("EncryptionInfo")) {
            return SpreadsheetCodeLists.refused(file, PROTECTED);
        }
        if (root.hasEntryCaseInsensitive("Workbook") || root.hasEntryCaseInsensitive("Book")) {
            return SpreadsheetCodeLists.refused(
                    file, "is not " + what + " but an Excel 97-2003 workbook: name it .xls");
        }
        return SpreadsheetCodeLists.refused(file, "is not " + what + " but another Office 97-2003 file");
    }

    private static CodeList sheets(String file, Workbook workbook) {
        DataFormatter formatter = new DataFormatter(Locale.US);
        formatter.setUseCachedValuesForFormulaCells(true);
        FormulaEvaluator evaluator = workbook.getCreationHelper().createFormulaEvaluator();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < workbook.getNumberOfSheets(); i++) {
            if (!workbook.isSheetHidden(i) && !workbook.isSheetVeryHidden(i)) {
                order.add(i);
            }
        }
        for (int i = 0; i < workbook.getNumberOfSheets(); i++) {
            if (!order.contains(i)) {
                order.add(i);
            }
        }
        for (int i : order) {
            Sheet sheet = workbook.getSheetAt(i);
            CodeListRows rows = new CodeListRows(file);
            for (Iterator<Row> it = sheet.rowIterator(); it.hasNext(); ) {
                Row row = it.next();
                int line = row.getRowNum() + 1;
                List<String> cells = new ArrayList<>();
                for (Iterator<Cell> cit = row.cellIterator(); cit.hasNext(); ) {
                    Cell cell = cit.next();
                    int column = cell.getColumnIndex();
                    String text = text(file, cell, formatter, evaluator);
                    if (text.isBlank()) {
                        continue;
                    }
                    if (column >= CodeListRows.MAX_CELLS) {
                        throw rows.tooWide(line, CellReference.convertNumToColString(column));
                    }
                    while (cells.size() < column) {
                        cells.add(null);
                    }
                    cells.add(text);
                }
                rows.add(line, cells, CellReference::convertNumToColString);
            }
            if (rows.any()) {
                return rows.list(sheet.getSheetName(), "has no values in any sheet");
            }
        }
        throw new InvalidInputException(InputError.of(file, "", "has no values in any sheet"));
    }

    /** A cell as Excel shows it. */
    private static String text(String file, Cell cell, DataFormatter formatter, FormulaEvaluator evaluator) {
        if (cell.getCellType() == CellType.FORMULA
                && cell instanceof XSSFCell x
                && !x.getCTCell().isSetV()) {
            // written by a program that does not work out formulas (a script, say): no value in the file
            try {
                return formatter.formatCellValue(cell, evaluator);
            } catch (RuntimeException e) {
                LOG.debug("{}: formula in {} not worked out", file, cell.getAddress(), e);
                throw new InvalidInputException(new InputError(
                        file,
                        cell.getRowIndex() + 1,
                        cell.getAddress().formatAsString(),
                        "holds the formula =" + cell.getCellFormula()
                                + ", which this cannot work out, and the file has no value for it: open the file in"
                                + " Excel and save it again, which stores the values"));
            }
        }
        return formatter.formatCellValue(cell);
    }
}
