import { describe, expect, it } from 'vitest';
import { sniffMedia } from '../../../electron/messages/media';
import { videoSupport } from '../../../electron/whatsapp';
import { mediaOptions } from '../../../electron/whatsapp/wweb/media';

const ftyp = (brand: string) => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from(`ftyp${brand}`, 'latin1'), Buffer.alloc(16)]);

describe('attachments judged by their bytes', () => {
  it('tells iPhone HEIC photos and MOV videos from MP4 (all are ISO-BMFF files)', () => {
    expect(sniffMedia(ftyp('heic'), 'IMG_0001.HEIC')).toEqual({ kind: 'document', mime: 'image/heic', ext: 'heic' });
    expect(sniffMedia(ftyp('mif1'), 'foto.heic')).toEqual({ kind: 'document', mime: 'image/heic', ext: 'heic' });
    expect(sniffMedia(ftyp('qt  '), 'IMG_0002.MOV')).toEqual({ kind: 'video', mime: 'video/quicktime', ext: 'mov' });
    expect(sniffMedia(ftyp('isom'), 'video.mp4')).toEqual({ kind: 'video', mime: 'video/mp4', ext: 'mp4' });
    expect(sniffMedia(ftyp('3gp5'), 'clip.3gp')).toEqual({ kind: 'video', mime: 'video/3gpp', ext: '3gp' });
    expect(sniffMedia(ftyp('M4A '), 'nota.m4a')).toEqual({ kind: 'audio', mime: 'audio/mp4', ext: 'm4a' });
  });

  it('sends an OGG as a voice note (OGG/Opus) with no caption: its text goes apart', () => {
    expect(sniffMedia(Buffer.from('OggS\0\x02', 'latin1'), 'nota.ogg')).toEqual({ kind: 'voice', mime: 'audio/ogg; codecs=opus', ext: 'ogg' });
    expect(mediaOptions({ text: 'Escucha', media: { path: '/m', mimeType: 'audio/ogg; codecs=opus', fileName: 'nota.ogg', kind: 'voice' } })).toEqual({ sendSeen: false, sendAudioAsVoice: true });
    expect(mediaOptions({ text: 'Mira', media: { path: '/m', mimeType: 'image/jpeg', fileName: 'a.jpg', kind: 'image' } })).toEqual({ sendSeen: false, caption: 'Mira' });
  });

  it('knows which browsers cannot send video (Chromium has no H.264)', () => {
    expect(videoSupport('/usr/bin/chromium')).toBe('no');
    expect(videoSupport('/usr/bin/chromium-browser')).toBe('no');
    expect(videoSupport('C:\\Program Files\\Chromium\\Application\\chrome.exe')).toBe('no');
    expect(videoSupport('/usr/bin/google-chrome-stable')).toBe('yes');
    expect(videoSupport('C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe')).toBe('yes');
    expect(videoSupport('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome')).toBe('yes');
    expect(videoSupport(null)).toBe('unknown');
  });
});
