import { readFile } from 'node:fs/promises';
import { parse, printParseErrorCode, type ParseError, type ParseErrorCode } from 'jsonc-parser';
import { IntakeError } from '../server/core/errors.js';
import { fileProblem } from './file-problems.js';

/** What each syntax slip is, as a person fixing the file would say it. */
const slips: Partial<Record<ReturnType<typeof printParseErrorCode>, string>> = {
  InvalidSymbol: 'a character that does not belong there',
  InvalidNumberFormat: 'a number that is not written as JSON writes numbers',
  PropertyNameExpected: 'a setting name in double quotes was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon was expected after the setting name',
  CommaExpected: 'a comma was expected',
  CloseBraceExpected: 'a closing } was expected',
  CloseBracketExpected: 'a closing ] was expected',
  EndOfFileExpected: 'the file goes on after its settings ended',
  UnexpectedEndOfComment: 'a /* comment is not closed',
  UnexpectedEndOfString: 'a text in quotes is not closed',
  UnexpectedEndOfNumber: 'a number ends too early',
  InvalidUnicode: 'an invalid \\u escape',
  InvalidEscapeCharacter: 'an invalid \\ escape',
  InvalidCharacter: 'a character that must be escaped inside quotes',
};

/** Line and column (both from 1) of an offset in the text. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * A settings file as the README writes one: JSON, where // and /* comments and trailing commas may
 * stay (the README's example carries them). A slip is told by line and column, not as a parser's message.
 */
export async function readSettingsFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new IntakeError('invalid_settings', `Cannot read settings from ${path}: ${fileProblem(error, 'read')}.`);
  }
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, allowEmptyContent: false });
  const [first] = errors;
  if (first) {
    const { line, column } = position(text, first.offset);
    const what = slips[printParseErrorCode(first.error as ParseErrorCode)] ?? printParseErrorCode(first.error as ParseErrorCode);
    throw new IntakeError('invalid_settings', `The settings in ${path} are not valid JSON: line ${line}, column ${column}: ${what}.`, { line, column });
  }
  return value;
}
