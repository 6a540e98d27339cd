package org.dmiplatform.adapter.nibrs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.ZipOutputStream;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.records.RecordsInput;
import org.dmiplatform.testing.CollectingSink;
import org.junit.Test;

public class BadInputTest {
    private final NibrsAdapter adapter = new NibrsAdapter(Agencies.ALL, null, CdeExtractReader.RUN_SIZE);

    private InputError refused(RecordsInput input) {
        CollectingSink sink = new CollectingSink(ZoneId.of("America/Chicago"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> adapter.read(input, sink));
        assertEquals(0, sink.outcomes());
        assertEquals(1, e.errors().size());
        return e.errors().get(0);
    }

    @Test
    public void refusesAnEmptyFile() {
        InputError error = refused(Inputs.of("empty.txt", new byte[0]));

        assertEquals(new InputError("empty.txt", 0, "", "the file is empty"), error);
    }

    @Test
    public void refusesAFileOfBlankLinesAsEmpty() {
        assertEquals(
                "the file is empty",
                refused(Inputs.text("blank.txt", " \r\n\r\n\t\n")).reason());
    }

    @Test
    public void refusesABinaryFile() {
        byte[] bytes = new byte[2048];
        new Random(7).nextBytes(bytes);
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
        System.arraycopy(png, 0, bytes, 0, png.length);

        InputError error = refused(Inputs.of("photo.txt", bytes));

        assertTrue(error.reason(), error.reason().startsWith("the file is binary"));
    }

    @Test
    public void refusesAnotherCsvSayingHowItStarts() {
        InputError error = refused(Inputs.text(
                "chicago.csv", "ID,Case Number,Date,Block,IUCR,Primary Type\n10365064,HZ100370,01/03/2016\n"));

        assertEquals(1, error.line());
        assertTrue(
                error.reason(), error.reason().contains("starts with 'ID,Case Number,Date,Block,IUCR,Primary T...'"));
    }

    @Test
    public void refusesOneTableOfAnExtractAskingForTheWholeZip() {
        InputError error = refused(Inputs.of("nibrs_incident.csv", Inputs.bytes("cde_az_2016/nibrs_incident.csv")));

        assertTrue(error.reason(), error.reason().contains("upload the whole extract as one .zip"));
    }

    @Test
    public void refusesAnEmptyZip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ZipOutputStream(bytes).close();

        InputError error = refused(Inputs.of("empty.zip", bytes.toByteArray()));

        assertTrue(error.reason(), error.reason().contains("not a Crime Data Explorer NIBRS extract"));
    }

    @Test
    public void refusesADamagedZip() {
        byte[] whole = bytesOf(Inputs.zip("az.zip", Inputs.cdeTables()));

        InputError error = refused(Inputs.of("az.zip", Arrays.copyOf(whole, 300)));

        assertTrue(error.reason(), error.reason().startsWith("the zip is damaged"));
    }

    private static byte[] bytesOf(RecordsInput input) {
        try (var in = input.open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
