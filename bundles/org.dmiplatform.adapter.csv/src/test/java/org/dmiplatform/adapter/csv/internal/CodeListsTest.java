package org.dmiplatform.adapter.csv.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.poi.hssf.record.crypto.Biff8EncryptionKey;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.poifs.crypt.Encryptor;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.records.CodeLists;
import org.dmiplatform.api.records.CodeLists.CodeList;
import org.junit.Test;

/**
 * Code lists as departments keep them: workbooks made here with POI (codes as numbers, as text with leading zeros,
 * under a custom format, from formulas; a blank row; an empty sheet before the list), CSV files in Windows-1252 with
 * semicolons and in UTF-8 with a byte-order mark; and the files refused, each for a reason a person can act on.
 */
public class CodeListsTest {
    private final CodeLists lists = new SpreadsheetCodeLists();

    @Test
    public void readsAnXlsxWorkbookAsExcelShowsIt() throws IOException {
        CodeList list = read("Codes.xlsx", workbook(new XSSFWorkbook(), true));

        assertEquals("Codes.xlsx", list.file());
        assertEquals("the first sheet with a value", "Offense codes", list.sheet());
        assertEquals(List.of("Code", "Description", "NIBRS", ""), list.header());
        assertExpectedRows(list);
        // a formula without a value in the file (as a script writes it) is worked out
        assertEquals(
                List.of("3572-0", "Possession of methamphetamine", "35A", ""),
                list.rows().get(3));
    }

    @Test
    public void readsAnXlsWorkbookAsExcelShowsIt() throws IOException {
        CodeList list = read("Codes.xls", workbook(new HSSFWorkbook(), false));

        assertEquals("Offense codes", list.sheet());
        assertEquals(List.of("Code", "Description", "NIBRS", ""), list.header());
        assertExpectedRows(list);
        assertEquals(
                List.of("3572-0", "Possession of methamphetamine", "35A", ""),
                list.rows().get(3));
    }

    private static void assertExpectedRows(CodeList list) {
        assertEquals(
                List.of(
                        List.of("3572", "Possession of cocaine", "35A", ""),
                        List.of("0810", "Aggravated assault", "13A", ""),
                        List.of("0820", "Robbery", "120", ""),
                        List.of("3572-0", "Possession of methamphetamine", "35A", ""),
                        List.of("1313-2", "Simple assault (domestic)", "13B", "cached"),
                        List.of("9999", "Cut short", "", "")),
                list.rows());
        assertEquals("row numbers as the sheet shows them; row 6 is blank", List.of(2, 3, 4, 5, 7, 8), list.lines());
        for (List<String> row : list.rows()) {
            assertEquals("every row as long as the longest", list.header().size(), row.size());
        }
    }

    /**
     * An empty sheet first, then the list: a header, a code as a number in General format (3572, not 3572.0), a code
     * as text with a leading zero, a number under the custom format 0000 (shown 0820), a formula, a blank row, a
     * formula whose file holds a value (that value is read), and a row shorter than the others.
     *
     * @param xssf true for an .xlsx workbook, whose formulas are left without a value (as a script writes them);
     *     an .xls workbook's are worked out before saving, as Excel does
     */
    private static byte[] workbook(Workbook wb, boolean xssf) throws IOException {
        try (wb) {
            Sheet notes = wb.createSheet("Notes");
            notes.createRow(0).createCell(0).setBlank(); // a cell with a format but no value
            Sheet sheet = wb.createSheet("Offense codes");
            row(sheet, 0, "Code", "Description", "NIBRS");
            Row r = sheet.createRow(1);
            r.createCell(0).setCellValue(3572);
            r.createCell(1).setCellValue("Possession of cocaine");
            r.createCell(2).setCellValue("35A");
            row(sheet, 2, "0810", "Aggravated assault", "13A");
            r = sheet.createRow(3);
            Cell padded = r.createCell(0);
            padded.setCellValue(820);
            CellStyle style = wb.createCellStyle();
            style.setDataFormat(wb.createDataFormat().getFormat("0000"));
            padded.setCellStyle(style);
            r.createCell(1).setCellValue("Robbery");
            r.createCell(2).setCellValue(120);
            r = sheet.createRow(4);
            r.createCell(0).setCellFormula("\"3572\"&\"-0\"");
            r.createCell(1).setCellValue("Possession of methamphetamine");
            r.createCell(2).setCellFormula("C2");
            row(sheet, 5, "", " ", ""); // blank
            r = sheet.createRow(6);
            r.createCell(0).setCellValue("1313-2");
            r.createCell(1).setCellValue("Simple assault (domestic)");
            r.createCell(2).setCellValue("13B");
            Cell cached = r.createCell(3);
            cached.setCellFormula("\"worked out\"");
            row(sheet, 7, "9999", "Cut short");
            if (xssf) {
                cached.setCellValue("cached"); // the value the file holds for the formula: what Excel showed
            } else {
                wb.getCreationHelper().createFormulaEvaluator().evaluateAll(); // as Excel saves an .xls
                cached.setCellValue("cached");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            wb.write(out);
            return out.toByteArray();
        }
    }

    private static void row(Sheet sheet, int index, String... values) {
        Row row = sheet.createRow(index);
        for (int i = 0; i < values.length; i++) {
            row.createCell(i).setCellValue(values[i]);
        }
    }

    @Test
    public void readsAWindows1252CsvWithSemicolons() throws IOException {
        String text = "Code;Beschreibung;NIBRS\r\n"
                + "0810;Aggravated assault – weapon;13A\r\n"
                + "\r\n"
                + ";;\r\n"
                + "\"3572;0\";Possession (cocaïne);35A\r\n"
                + "90Z;All other;\r\n";
        CodeList list = read("codes.csv", text.getBytes(Charset.forName("windows-1252")));

        assertEquals("", list.sheet());
        assertEquals(List.of("Code", "Beschreibung", "NIBRS"), list.header());
        assertEquals(
                List.of(
                        List.of("0810", "Aggravated assault – weapon", "13A"),
                        List.of("3572;0", "Possession (cocaïne)", "35A"),
                        List.of("90Z", "All other", "")),
                list.rows());
        assertEquals(List.of(2, 5, 6), list.lines());
    }

    @Test
    public void readsAUtf8CsvWithAByteOrderMark() throws IOException {
        String text = "\uFEFFcode,text\n1313-2,Simple assault – domestic\n\n2410,\"Theft, from vehicle\"\n";
        CodeList list = read("codes.CSV", text.getBytes(StandardCharsets.UTF_8));

        assertEquals("the mark is not part of the first name", List.of("code", "text"), list.header());
        assertEquals(
                List.of(List.of("1313-2", "Simple assault – domestic"), List.of("2410", "Theft, from vehicle")),
                list.rows());
        assertEquals(List.of(2, 4), list.lines());
    }

    @Test
    public void readsATabSeparatedUtf8TextWithoutAMark() throws IOException {
        CodeList list = read("codes.txt", "code\ttext\n35A\tDrogues\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("code", "text"), list.header());
        assertEquals(List.of(List.of("35A", "Drogues")), list.rows());
    }

    @Test
    public void refusesATextFileNamedXlsx() {
        InputError error = refused("codes.xlsx", "code,text\n1,a\n".getBytes(StandardCharsets.UTF_8));
        assertTrue(error.reason(), error.reason().startsWith("is not an Excel .xlsx workbook: it is a text file"));
    }

    @Test
    public void refusesAnXlsWorkbookNamedXlsxAndTheOtherWayRound() throws IOException {
        byte[] xls = workbook(new HSSFWorkbook(), false);
        byte[] xlsx = workbook(new XSSFWorkbook(), true);
        assertTrue(refused("codes.xlsx", xls).reason().contains("name it .xls"));
        assertTrue(refused("codes.xls", xlsx).reason().contains("name it .xlsx"));
        assertTrue(refused("codes.csv", xlsx).reason().contains("name it .xlsx"));
        assertTrue(refused("codes.csv", xls).reason().contains("name it .xls"));
    }

    @Test
    public void refusesAWebPageNamedXls() {
        byte[] html =
                "<html><body><table><tr><td>code</td></tr></table></body></html>".getBytes(StandardCharsets.UTF_8);
        assertTrue(refused("export.xls", html).reason().contains("web page (HTML)"));
    }

    @Test
    public void refusesAnEncryptedXlsxWorkbook() throws Exception {
        byte[] plain = workbook(new XSSFWorkbook(), true);
        POIFSFileSystem fs = new POIFSFileSystem();
        EncryptionInfo info = new EncryptionInfo(EncryptionMode.standard);
        Encryptor encryptor = info.getEncryptor();
        encryptor.confirmPassword("secret");
        try (OutputStream out = encryptor.getDataStream(fs)) {
            out.write(plain);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        fs.writeFilesystem(bytes);
        fs.close();

        InputError error = refused("Codes.xlsx", bytes.toByteArray());
        assertTrue(error.reason(), error.reason().startsWith("is protected by a password"));
    }

    @Test
    public void refusesAnEncryptedXlsWorkbook() throws Exception {
        byte[] bytes;
        Biff8EncryptionKey.setCurrentUserPassword("secret");
        try (HSSFWorkbook wb = new HSSFWorkbook()) {
            row(wb.createSheet("Codes"), 0, "code");
            row(wb.getSheetAt(0), 1, "35A");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            wb.write(out);
            bytes = out.toByteArray();
        } finally {
            Biff8EncryptionKey.setCurrentUserPassword(null);
        }
        InputError error = refused("Codes.xls", bytes);
        assertTrue(error.reason(), error.reason().startsWith("is protected by a password"));
    }

    @Test
    public void refusesAWorkbookWithNoValues() throws IOException {
        byte[] bytes;
        try (XSSFWorkbook wb = new XSSFWorkbook()) {
            wb.createSheet("Sheet1");
            wb.createSheet("Sheet2").createRow(3).createCell(2).setCellValue(" ");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            wb.write(out);
            bytes = out.toByteArray();
        }
        assertEquals("has no values in any sheet", refused("empty.xlsx", bytes).reason());
    }

    @Test
    public void refusesAListWithOnlyItsHeader() {
        InputError error = refused("codes.csv", "\n\ncode,text\n,\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(3, error.line());
        assertEquals("has only one row (its header) and no codes below it", error.reason());
    }

    @Test
    public void refusesEmptyBinaryAndUnknownFiles() {
        assertEquals("is empty", refused("codes.csv", new byte[0]).reason());
        assertEquals(
                "is empty",
                refused("codes.csv", " \r\n\r\n".getBytes(StandardCharsets.US_ASCII))
                        .reason());
        assertTrue(
                refused("codes.csv", new byte[] {1, 2, 0, 3, 'a', 'b'}).reason().contains("binary"));
        assertTrue(refused("codes.pdf", "%PDF-1.4".getBytes(StandardCharsets.US_ASCII))
                .reason()
                .contains("save it as .xlsx, .xls or .csv"));
    }

    @Test
    public void refusesADamagedWorkbook() throws IOException {
        byte[] whole = workbook(new XSSFWorkbook(), true);
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length / 2);
        assertTrue(refused("codes.xlsx", cut).reason().contains("damaged"));
    }

    @Test
    public void refusesAWorkbookThatUnpacksToFarMoreThanItsSize() throws IOException {
        // POI's ZIP-bomb check at its defaults: 20 MB of zeros packs to some 20 KB, a ratio no workbook has
        InputError error = refused("bomb.xlsx", padded(20));
        assertTrue(error.reason(), error.reason().startsWith("unpacks to far more than its size"));
    }

    @Test
    public void refusesAWorkbookThatUnpacksToMoreThanACodeList() throws IOException {
        // refused before POI unpacks it into memory
        InputError error = refused("big.xlsx", padded(101));
        assertEquals(
                "unpacks to more than 100 MB, more than a code list (is it an export of records?)", error.reason());
    }

    /** A workbook with an extra part of so many megabytes of zeros. */
    private static byte[] padded(int megabytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out);
                ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(workbook(new XSSFWorkbook(), true)))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                zip.putNextEntry(new ZipEntry(e.getName()));
                in.transferTo(zip);
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry("xl/media/padding.bin"));
            byte[] zeros = new byte[1024 * 1024];
            for (int i = 0; i < megabytes; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    @Test
    public void refusesALineWithTooManyValues() {
        StringBuilder text = new StringBuilder("code,text\n1,a\n");
        for (int i = 0; i <= CodeListRows.MAX_CELLS; i++) {
            text.append(i).append(',');
        }
        InputError error = refused("codes.csv", text.append('\n').toString().getBytes(StandardCharsets.US_ASCII));
        assertEquals(3, error.line());
        assertEquals("has a value in column 201, past the 200 columns a code list may have", error.reason());
    }

    @Test
    public void refusesAListLongerThanACodeList() {
        StringBuilder text = new StringBuilder("code\n");
        for (int i = 0; i <= CodeListRows.MAX_ROWS; i++) {
            text.append(i).append('\n');
        }
        InputError error = refused("codes.csv", text.toString().getBytes(StandardCharsets.US_ASCII));
        assertEquals(CodeListRows.MAX_ROWS + 2, error.line());
        assertTrue(error.reason(), error.reason().contains("past 100,000 rows"));
    }

    private CodeList read(String name, byte[] bytes) throws IOException {
        return lists.read(name, new ByteArrayInputStream(bytes));
    }

    private InputError refused(String name, byte[] bytes) {
        try {
            CodeList list = read(name, bytes);
            fail("read " + list);
            return null;
        } catch (InvalidInputException e) {
            assertEquals(1, e.errors().size());
            InputError error = e.errors().get(0);
            assertEquals(name, error.source());
            assertFalse(
                    "no class names: " + error.reason(),
                    error.reason().matches("(?s).*(Exception|\\.java|org\\.apache).*"));
            return error;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
